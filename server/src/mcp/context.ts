import * as fs from 'fs';
import * as path from 'path';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { NixParser } from '../parse/language';
import { FLAKE_FLAGS, isMissingOutput } from '../nix/flakeOutputs';
import { firstError, run, type RunOptions, type RunResult } from '../util/run';
import type { McpArgs } from './args';
import { McpOptions } from './options';

/**
 * What every tool shares: the flake root it may touch, how to run nix, and the answers it gives.
 * Agent input never reaches a shell: programs get argv arrays, and every path is checked to be
 * inside the root before it is read or evaluated.
 */
export class ToolContext {
  /** The root with symbolic links resolved, to compare real paths against. */
  readonly realRoot: string;
  readonly options: McpOptions;

  constructor(readonly args: McpArgs, readonly parser: NixParser, readonly env: NodeJS.ProcessEnv = process.env) {
    this.realRoot = fs.realpathSync(args.root);
    this.options = new McpOptions(this, message => this.log(message));
  }

  /** Standard error is the log: standard output carries the protocol. */
  log(message: string): void {
    process.stderr.write(`nix-ai mcp: ${this.redact(message)}\n`);
  }

  get root(): string {
    return this.args.root;
  }

  /**
   * A path the agent named, as an absolute path inside the root, or a reason to refuse it. A path
   * that does not exist yet is checked by its nearest existing parent, so a link cannot lead out.
   */
  inside(given: string): { ok: true; path: string } | { ok: false; reason: string } {
    const full = path.resolve(this.root, given);
    let probe = full;
    while (!fs.existsSync(probe) && path.dirname(probe) !== probe) probe = path.dirname(probe);
    const real = path.join(fs.realpathSync(probe), path.relative(probe, full));
    const rel = path.relative(this.realRoot, real);
    if (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel)) return { ok: true, path: path.join(this.root, rel) };
    return { ok: false, reason: `${given} is outside the flake root ${this.root}; this server only reads and evaluates files under it` };
  }

  /** A path inside the root as the agent should see it: relative, with / separators. */
  shown(file: string): string {
    return path.relative(this.root, file).split(path.sep).join('/') || '.';
  }

  /** Why a tool that evaluates the flake cannot run here, or undefined when there is a flake.nix. */
  noFlake(): string | undefined {
    if (fs.existsSync(path.join(this.root, 'flake.nix'))) return undefined;
    return `${this.root} has no flake.nix: list_outputs, build, switch and update_inputs work on flakes; check, fix, explain_option and search_options work without one`;
  }

  /** nix with flakes on, with the timeout and memory cap of every evaluation. */
  nix(args: readonly string[], opts: Partial<RunOptions> = {}): Promise<RunResult> {
    return run([this.args.nix, ...FLAKE_FLAGS, ...args], {
      cwd: this.root, env: this.env, timeoutMs: this.args.timeoutMs, memoryLimitMb: this.args.memoryLimitMb, ...opts,
    });
  }

  /** `nix eval --json ROOT#attr --apply F`: the value, null when the flake has no such output, or why it failed. */
  async evalOutput(attr: string, apply: string): Promise<{ value: unknown } | { failed: string }> {
    const r = await this.nix(['eval', '--json', '--no-write-lock-file', `${this.root}#${attr}`, '--apply', apply]);
    if (r.kind === 'ok') return { value: JSON.parse(r.stdout) as unknown };
    if (r.kind === 'failed' && isMissingOutput(r.stderr)) return { value: null };
    return { failed: this.why(r, `listing ${attr}`) };
  }

  /** Any other program (rebuild tools, health checks), with the same timeout. */
  program(argv: readonly string[], opts: Partial<RunOptions> = {}): Promise<RunResult> {
    return run(argv, { cwd: this.root, env: this.env, timeoutMs: this.args.timeoutMs, ...opts });
  }

  /**
   * A run that did not succeed, in one sentence an agent can act on. Passwords are never waited
   * for: sudo runs with -n, so it fails at once and says it needs one.
   */
  why(r: Exclude<RunResult, { kind: 'ok' }>, what: string): string {
    if (r.kind === 'missing') return `${r.command} is not installed or not on PATH, so ${what} cannot run; install Nix (or start nix-ai mcp with --nix PATH)`;
    if (r.kind === 'timeout') return `${what} did not finish in ${Math.round(r.afterMs / 1000)} s and was stopped (start nix-ai mcp with --timeout SECONDS for more)`;
    if (r.kind === 'memory') return `${what} used more than ${r.limitMb} MB and was stopped`;
    if (r.kind === 'cancelled') return `${what} was cancelled`;
    if (/a password is required|a terminal is required|no tty present/.test(r.stderr)) {
      return `${what} needs sudo, and this server never waits for a password: run nix-ai mcp as root, or allow the command in sudoers without a password`;
    }
    const offline = /unable to download|Could not resolve host|Couldn't resolve host/.test(r.stderr)
      ? ' (an input of the flake is not in the Nix store and could not be downloaded: fetch the inputs once where the network works, e.g. nix flake archive)'
      : '';
    const output = (r.stderr || r.stdout).trim();
    return `${what} failed${output ? `: ${firstError(output)}` : ` with exit status ${r.code}`}${offline}`;
  }

  /**
   * Text safe to hand to the agent: the values of environment variables whose names say they are
   * secrets (tokens, passwords, keys) are replaced by the variable's name.
   */
  redact(text: string): string {
    let out = text;
    for (const [name, value] of Object.entries(this.env)) {
      if (!value || value.length < 6 || !SECRET_NAME.test(name) || /_SOCK$/.test(name)) continue;
      out = out.split(value).join(`[${name}]`);
    }
    return out;
  }

  private redactAll(value: unknown): unknown {
    if (typeof value === 'string') return this.redact(value);
    if (Array.isArray(value)) return value.map(v => this.redactAll(v));
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.redactAll(v)]));
    return value;
  }

  /** A tool's answer: the structured result, and the same as JSON text for clients that read text only. */
  result<T extends Record<string, unknown>>(structured: T, text?: string): CallToolResult {
    const safe = this.redactAll(structured) as T;
    return { content: [{ type: 'text', text: this.redact(text ?? JSON.stringify(safe, null, 2)) }], structuredContent: safe };
  }

  /** A refusal or failure: an error result with one actionable sentence. */
  error(message: string): CallToolResult {
    return { isError: true, content: [{ type: 'text', text: this.redact(message) }] };
  }
}

const SECRET_NAME = /TOKEN|SECRET|PASSW|API_?KEY|PRIVATE|CREDENTIAL|AUTH|ACCESS_KEY/i;
