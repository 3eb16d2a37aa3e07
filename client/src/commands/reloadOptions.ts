import type { CommandContext } from './index';

/**
 * Nix: Reload Options from nixpkgs — evaluate the option set again, skipping the cache (after
 * editing your own modules, say). The server still refuses to evaluate an untrusted workspace.
 */
export function reloadOptions({ server }: CommandContext): Promise<boolean> {
  return server.notify('nixAi/reloadOptions');
}
