import type { LanguageServer } from '../languageServer';
import { restartServer } from './restartServer';
import { showOutput } from './showOutput';

export interface CommandContext {
  server: LanguageServer;
}

/** Command id -> handler. package.json's contributes.commands lists the same ids (checked by a test). */
export const COMMANDS: Record<string, (ctx: CommandContext) => unknown> = {
  'nixAi.restartServer': restartServer,
  'nixAi.showOutput': showOutput,
};
