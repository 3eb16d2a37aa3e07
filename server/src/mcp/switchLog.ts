import * as fs from 'fs';
import * as path from 'path';

/**
 * The record of what an agent did to the system, one line per event, for the user to read:
 * `2026-12-01T09:30:00.000Z switch gpu-box ok: nixos-rebuild switch --flake /etc/nixos#gpu-box`.
 */
export function appendSwitchLog(file: string, event: string, configuration: string, detail: string): string | undefined {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.appendFileSync(file, `${new Date().toISOString()} ${event} ${configuration} ${detail.replace(/\s*\n\s*/g, ' ⏎ ')}\n`);
    return undefined;
  } catch (e) {
    return `the switch log ${file} could not be written: ${(e as Error).message}`;
  }
}
