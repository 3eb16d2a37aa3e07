import type { CommandContext } from './index';

/** Nix: Unload Dev Shell — back to the editor's own environment. */
export function unloadDevShell({ services }: CommandContext): boolean {
  return services.devShell.unload();
}
