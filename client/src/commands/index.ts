import type { LanguageServer } from '../languageServer';
import type { Services } from '../services';
import { ignoreCode } from './ignoreCode';
import { reloadOptions } from './reloadOptions';
import { restartServer } from './restartServer';
import { showOutput } from './showOutput';

export interface CommandContext {
  server: LanguageServer;
  services: Services;
}

type Handler = (ctx: CommandContext, ...args: any[]) => unknown;

/** A command whose module uses the VS Code API, loaded when it first runs. */
function lazy<M>(load: () => Promise<M>, pick: (m: M) => Handler): Handler {
  return async (ctx, ...args) => pick(await load())(ctx, ...args);
}

/** Command id -> handler. package.json's contributes.commands lists the same ids (checked by a test). */
export const COMMANDS: Record<string, Handler> = {
  'nixAi.ignoreCode': ignoreCode,
  'nixAi.reloadOptions': reloadOptions,
  'nixAi.restartServer': restartServer,
  'nixAi.showOutput': showOutput,
  'nixAi.rebuild': lazy(() => import('./rebuild'), m => m.rebuild),
  'nixAi.rollback': lazy(() => import('./rollback'), m => m.rollback),
  'nixAi.enterDevShell': lazy(() => import('./enterDevShell'), m => m.enterDevShell),
  'nixAi.loadDevShell': lazy(() => import('./loadDevShell'), m => m.loadDevShell),
  'nixAi.unloadDevShell': lazy(() => import('./unloadDevShell'), m => m.unloadDevShell),
  'nixAi.flakeCheck': lazy(() => import('./flakeCheck'), m => m.flakeCheck),
  'nixAi.flakeUpdate': lazy(() => import('./flakeUpdate'), m => m.flakeUpdate),
  'nixAi.showFlakeOutputs': lazy(() => import('./showOutputs'), m => m.showOutputs),
  'nixAi.diagnoseGpu': lazy(() => import('./diagnoseGpu'), m => m.diagnoseGpu),
  'nixAi.doctorFix': lazy(() => import('../gpuDoctor'), m => (_ctx: CommandContext, check: Parameters<typeof m.actOnFix>[0]) => m.actOnFix(check)),
};
