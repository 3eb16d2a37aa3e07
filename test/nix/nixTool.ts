import { spawnSync } from 'child_process';

/** Runs the real Nix parser. Offline settings: no daemon, no build users. */
const ENV = {
  ...process.env,
  NIX_CONFIG: 'build-users-group =\nsubstituters =\nexperimental-features = nix-command flakes',
};

export interface NixParse {
  ok: boolean;
  /** The first error line, when Nix rejected the file. */
  error?: string;
}

export function requireNix(): void {
  const r = spawnSync('nix-instantiate', ['--version'], { env: ENV, encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new Error('nix-instantiate is not installed; these tests compare against the real Nix parser (Debian: apt-get install nix-bin)');
  }
}

/**
 * Whether Nix can parse the file. `nix-instantiate --parse` also resolves variables, so an
 * "undefined variable" error means the syntax was fine: only that error is not a syntax error.
 */
export function nixParse(file: string): NixParse {
  const r = spawnSync('nix-instantiate', ['--parse', file], { env: ENV, encoding: 'utf8' });
  if (r.status === 0) return { ok: true };
  const error = (r.stderr ?? '').split('\n').find(l => l.includes('error:')) ?? r.stderr;
  if (/undefined variable/.test(error)) return { ok: true };
  return { ok: false, error: error.trim() };
}

/** `nix-instantiate ARGS -E EXPR`'s output, or an error with Nix's message. */
export function nixExpr(args: readonly string[], expr: string): string {
  const r = spawnSync('nix-instantiate', [...args, '-E', expr], { env: ENV, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`nix-instantiate ${args.join(' ')} rejected ${expr}: ${r.stderr}`);
  return r.stdout.trim();
}
