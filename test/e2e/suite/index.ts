// Entry of the extension's own mocha suite: code-server's extension host require()s this file and
// calls run(), as @vscode/test-electron would.
import * as fs from 'fs';
import Mocha from 'mocha';
import * as path from 'path';

export function run(): Promise<void> {
  return runSuite(__dirname);
}

/** Run every *.test.js in `dir` with mocha, as the extension host's test runner. */
export function runSuite(dir: string): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60_000 });
  for (const f of fs.readdirSync(dir)) {
    if (f.endsWith('.test.js')) mocha.addFile(path.join(dir, f));
  }
  return new Promise((resolve, reject) => {
    const runner = mocha.run(failures => {
      console.log(`${runner.stats?.passes ?? 0} passed, ${failures} failed`);
      if (failures > 0) reject(new Error(`${failures} tests failed.`));
      else resolve();
    });
  });
}
