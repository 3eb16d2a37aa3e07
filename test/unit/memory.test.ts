import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as v8 from 'v8';
import { GarbageLimit } from '../../server/src/util/memory';

const used = () => v8.getHeapStatistics().used_heap_size;

test('the garbage of a huge document is collected once it passes the slack, not left to pile up', () => {
  const limit = new GarbageLimit();
  limit.settle();
  // ten versions of a 10 MB text, all garbage now (read from JSON, as the server gets them)
  let versions: string[] | undefined = Array.from({ length: 10 }, (_, i) => JSON.parse(`"${'x'.repeat(10_000_000)}${i}"`) as string);
  const piled = used();
  assert.ok(versions.length === 10 && piled > 90e6, `the texts take the heap (${piled})`);
  versions = undefined;
  limit.settle();
  assert.ok(used() < piled - 90e6, `collected: ${piled} -> ${used()}`);
  // with less than the slack piled up, nothing is collected
  let few: string[] | undefined = Array.from({ length: 3 }, (_, i) => JSON.parse(`"${'y'.repeat(10_000_000)}${i}"`) as string);
  assert.equal(few.length, 3);
  few = undefined;
  const some = used();
  limit.settle();
  assert.ok(used() > some - 1e6, `30 MB of garbage stays: ${some} -> ${used()}`);
});
