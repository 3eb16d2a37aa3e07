import assert from 'node:assert/strict';
import { mock, test } from 'node:test';
import { DiagnosticsScheduler } from '../../server/src/workspace/scheduler';

/** A scheduler on a clock the test moves, whose checks of 'a' took `cost` ms, and how many checks it ran. */
function schedulerOf(cost: number) {
  const state = { clock: 0, checks: 0 };
  const scheduler = new DiagnosticsScheduler(() => state.checks++, () => false, () => state.clock);
  // the first check (the whole document) is not counted
  for (let i = 0; i < 6; i++) scheduler.took('a', cost);
  return { scheduler, state };
}

/** Let the real setImmediate queue run: the scheduler queues a check two turns behind its timer. */
const turns = async (n = 3) => {
  for (let i = 0; i < n; i++) await new Promise(resolve => setImmediate(resolve));
};

// only setTimeout is mocked: Node 20's mocked setImmediate fires a timer again and again
test('an edited document with slow checks: checked at once when keystrokes come further apart than a check takes, after a pause in a burst', async () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    // checks of this document take 100 ms
    const { scheduler, state } = schedulerOf(100);
    /** A keystroke at `at` and `wait` ms of timers: was the document checked? */
    const keystroke = async (at: number, wait: number) => {
      const before = state.checks;
      state.clock = at;
      scheduler.changed('a', ['a']);
      mock.timers.tick(wait);
      await turns();
      return state.checks > before;
    };
    assert.equal(await keystroke(1000, 5), true, 'the first keystroke is checked at once');
    assert.equal(await keystroke(1300, 5), true, 'a keystroke 300 ms after the last one (checks take 100 ms) is checked at once');
    assert.equal(await keystroke(1330, 5), false, 'a keystroke 30 ms after the last one: the check waits for a pause');
    mock.timers.tick(100);
    await turns();
    assert.equal(state.checks, 3, 'and runs once the pause is over');
  } finally {
    mock.timers.reset();
  }
});

test('an edited document with cheap checks is checked at once, however fast the keystrokes come', async () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const { scheduler, state } = schedulerOf(10);
    for (let k = 0; k < 5; k++) {
      state.clock += 5;
      scheduler.changed('a', []);
      mock.timers.tick(5);
      await turns();
    }
    assert.equal(state.checks, 5);
  } finally {
    mock.timers.reset();
  }
});
