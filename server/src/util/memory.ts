import * as v8 from 'v8';
import * as vm from 'vm';

/** Garbage allowed to pile up before a collection is asked for. */
const SLACK_BYTES = 64 * 1024 * 1024;

let collect: (() => void) | undefined | null;

/** V8's full collection, made callable at run time (null: this Node does not allow it). */
function collector(): (() => void) | null {
  if (collect === undefined) {
    try {
      v8.setFlagsFromString('--expose-gc');
      const gc = vm.runInNewContext('gc') as unknown;
      collect = typeof gc === 'function' ? (gc as () => void) : null;
    } catch {
      collect = null;
    }
  }
  return collect;
}

/**
 * Every edit of a document over the size limit leaves its whole previous text (10 MB and more)
 * behind, and V8 lets that pile up by a few hundred MB before it collects: the peak memory of a
 * 10 MB file then depended on where the collector happened to be. After such a document is
 * checked, `settle` asks for a collection once the heap has grown by more than 64 MB since the
 * last one (a collection of the server's heap takes a few tens of milliseconds).
 */
export class GarbageLimit {
  private after = 0;

  settle(): void {
    const used = v8.getHeapStatistics().used_heap_size;
    if (used - this.after < SLACK_BYTES) return;
    const gc = collector();
    if (!gc) return;
    gc();
    this.after = v8.getHeapStatistics().used_heap_size;
  }
}
