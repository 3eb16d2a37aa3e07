import type { LanguageServer } from '../languageServer';
import { ignoreCode } from './ignoreCode';
import { reloadOptions } from './reloadOptions';
import { restartServer } from './restartServer';
import { showOutput } from './showOutput';

export interface CommandContext {
  server: LanguageServer;
}

/** Command id -> handler. package.json's contributes.commands lists the same ids (checked by a test). */
export const COMMANDS: Record<string, (ctx: CommandContext, ...args: unknown[]) => unknown> = {
  'nixAi.ignoreCode': ignoreCode,
  'nixAi.reloadOptions': reloadOptions,
  'nixAi.restartServer': restartServer,
  'nixAi.showOutput': showOutput,
};
