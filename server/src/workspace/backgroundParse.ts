import type { DocumentStore } from '../parse/store';

/**
 * A parse from scratch of a document this long takes more than a slice (about 170 ms per MB);
 * re-parsing an edited tree is about ten times faster, and sliced from ten times the length.
 */
export const SLICED_PARSE_CHARS = 100_000;
const SLICED_REPARSE_CHARS = 1_000_000;

/**
 * How long one slice of parsing may hold the event loop. Each hop of other work (a request taken
 * from the queue, a check's turn after the requests) waits for one slice.
 */
const SLICE_MS = 8;
/** While the check of another edited document is due, parsing waits this long at a time. */
const YIELD_MS = 2;

/**
 * Parses large open documents a slice at a time, one document at a time, each slice on its own
 * turn of the event loop: what arrives meanwhile (a keystroke or a request about another file)
 * is handled between two slices instead of waiting for the whole parse (1.7 s for a 10 MB file
 * opened, 0.2 s for each edit of it). A request about the document itself reads its tree, which
 * finishes the parse at once. After a version with a syntax error the re-parse is done in one go
 * when the check wants it (sliced, typing every 30 ms into a broken 1.4 MB file made requests
 * wait 15-22 s in two of five bench runs; in one go, at most 2.3 s in three. Waits that long still
 * come in some runs: completion parses such broken text again, at about 5 s a parse).
 */
export class BackgroundParses {
  /** uri -> what to do once its current version is parsed. */
  private readonly queue = new Map<string, () => void>();
  private next: NodeJS.Immediate | undefined;
  private waiting: NodeJS.Timeout | undefined;

  /** `urgent(uri)`: other work is due that should not wait for slices of `uri`. */
  constructor(
    private readonly store: DocumentStore,
    private readonly failed: (uri: string, e: unknown) => void,
    private readonly urgent: (uri: string) => boolean = () => false,
  ) {}

  /**
   * If the current version of `uri` is large and not parsed yet, parse it in the background and
   * run `then` (instead of any earlier one) once it is parsed, and say true; false when its tree
   * can be read now. (Nothing is parsed per keystroke: the check that wants the tree waits for
   * a pause in typing, and a request reads the tree, which finishes the parse at once.)
   */
  whenParsed(uri: string, then: () => void): boolean {
    const doc = this.store.get(uri);
    if (!doc || doc.ready || doc.followsBroken || doc.text.length < (doc.reusesTree ? SLICED_REPARSE_CHARS : SLICED_PARSE_CHARS)) return false;
    this.queue.set(uri, then);
    this.schedule();
    return true;
  }

  /** Is a document being parsed? */
  get busy(): boolean {
    return this.queue.size > 0;
  }

  forget(uri: string): void {
    this.queue.delete(uri);
  }

  private schedule(): void {
    this.next ??= setImmediate(() => this.step());
  }

  private step(): void {
    this.next = undefined;
    const [uri] = this.queue.keys();
    if (uri === undefined) return;
    if (this.urgent(uri)) {
      this.waiting ??= setTimeout(() => {
        this.waiting = undefined;
        this.schedule();
      }, YIELD_MS);
      return;
    }
    let done: boolean;
    try {
      // the current version (an edit meanwhile replaced the document and dropped the old parse)
      done = this.store.get(uri)?.advance(SLICE_MS) ?? true;
    } catch (e) {
      // dropped, and what was to follow with it: `failed` decides what happens next (a parse
      // that faults every time must not come back here on its own)
      this.queue.delete(uri);
      this.failed(uri, e);
      done = false;
    }
    if (done) {
      const then = this.queue.get(uri);
      this.queue.delete(uri);
      then?.();
    }
    if (this.queue.size) this.schedule();
  }
}
