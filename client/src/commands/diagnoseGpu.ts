import * as vscode from 'vscode';
import type { Report } from '../../../server/src/doctor/types';
import type { CommandContext } from './index';

/** Nix: Diagnose GPU — the doctor's report of this machine, in the GPU Doctor view. */
export async function diagnoseGpu({ services }: CommandContext): Promise<Report | undefined> {
  const folder = (await services.folder())?.uri.fsPath;
  const report = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'nix-ai: checking this machine\'s GPU stack', cancellable: true },
    (_progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      return services.doctor.diagnose(folder, abort.signal);
    },
  );
  if (report) await services.doctor.reveal();
  return report;
}
