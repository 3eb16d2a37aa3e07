import * as fs from 'fs';
import * as path from 'path';
import { FIXTURES, tmpDir } from './fixtureWorkspace';

export const STAND_IN_NAMES = ['nixos-rebuild', 'darwin-rebuild', 'home-manager', 'nh', 'colmena', 'deploy', 'sudo'];

/** A bin folder whose tools are the recording stand-in, and where their calls are recorded. */
export function standIns(): { bin: string; record: string; calls(): string[][] } {
  const bin = tmpDir('stand-ins');
  for (const name of STAND_IN_NAMES) fs.symlinkSync(path.join(FIXTURES, 'stand-ins', 'record.sh'), path.join(bin, name));
  const record = path.join(bin, 'calls');
  return {
    bin,
    record,
    calls: () => (fs.existsSync(record) ? fs.readFileSync(record, 'utf8').split('\n').filter(Boolean).map(l => l.split('\0').slice(0, -1)) : []),
  };
}
