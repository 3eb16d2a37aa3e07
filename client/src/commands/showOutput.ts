import type { CommandContext } from './index';

/** Nix: Show Language Server Output */
export function showOutput({ server }: CommandContext): void {
  server.output.show(true);
}
