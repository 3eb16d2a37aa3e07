import type { CommandContext } from './index';

/** Nix: Restart Language Server */
export async function restartServer({ server }: CommandContext): Promise<string> {
  await server.restart();
  return server.status.message;
}
