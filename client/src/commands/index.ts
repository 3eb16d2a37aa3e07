import type { LanguageServer } from '../languageServer';
import { reloadOptions } from './reloadOptions';
import { restartServer } from './restartServer';
import { showOutput } from './showOutput';

export interface CommandContext {
  server: LanguageServer;
}

/** Command id -> handler. package.json's contributes.commands lists the same ids (checked by a test). */
export const COMMANDS: Record<string, (ctx: CommandContext) => unknown> = {
  'nixAi.reloadOptions': reloadOptions,
  'nixAi.restartServer': restartServer,
  'nixAi.showOutput': showOutput,
};
