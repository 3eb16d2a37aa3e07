/**
 * When to check open documents again. The document being edited is checked first, almost at
 * once when its last check was cheap (the usual case: an edit re-checks what it touched) and
 * after a short pause when it was not, so a burst of keystrokes costs one check. Other open
 * documents, which may see the change through their configuration, wait until typing pauses.
 * A check that is due still lets the requests already received go first (a completion sent with
 * the keystroke should not wait for the diagnostics of that keystroke).
 */
export class DiagnosticsScheduler {
  private readonly pending = new Map<string, { timer?: NodeJS.Timeout; immediate?: NodeJS.Immediate }>();
  private readonly cost = new Map<string, number>();

  constructor(private readonly check: (uri: string) => void) {}

  /** `uri` changed: check it soon; `others` may see the change: check them when typing pauses. */
  changed(uri: string | undefined, others: readonly string[]): void {
    if (uri) this.at(uri, (this.cost.get(uri) ?? Infinity) <= CHEAP_MS ? SOON_MS : PAUSE_MS);
    for (const o of others) if (o !== uri) this.at(o, OTHERS_MS);
  }

  /** How long the last check of `uri` took. */
  took(uri: string, ms: number): void {
    this.cost.set(uri, ms);
  }

  forget(uri: string): void {
    this.cancel(uri);
    this.cost.delete(uri);
  }

  private at(uri: string, ms: number): void {
    this.cancel(uri);
    const due = { timer: undefined as NodeJS.Timeout | undefined, immediate: undefined as NodeJS.Immediate | undefined };
    // a request read before the timer fired is already queued (with setImmediate): queue behind it
    due.timer = setTimeout(() => {
      due.immediate = setImmediate(() => {
        this.pending.delete(uri);
        this.check(uri);
      });
    }, ms);
    this.pending.set(uri, due);
  }

  private cancel(uri: string): void {
    const due = this.pending.get(uri);
    clearTimeout(due?.timer);
    clearImmediate(due?.immediate);
    this.pending.delete(uri);
  }
}

/** A check this fast runs after every keystroke. */
const CHEAP_MS = 50;
const SOON_MS = 2;
/** Otherwise wait this long for the next keystroke. */
const PAUSE_MS = 60;
/** Other open documents wait for a pause in typing. */
const OTHERS_MS = 200;
