// Entry of the suite that runs in a workspace whose flake evaluates the fixture nixpkgs.
import { runSuite } from '../suite/index';

export function run(): Promise<void> {
  return runSuite(__dirname);
}
