/**
 * When to check open documents again. The document being edited is checked first: almost at once
 * when its checks are cheap (the usual case: an edit re-checks what it touched) or when keystrokes
 * come further apart than a check takes (a check started now is over before the next one), after
 * a short pause otherwise, so a burst of keystrokes costs one check. Cheap is the median of the
 * last few checks, so one slow check (a garbage collection) does not make the next keystroke wait.
 * Other open documents, which may see the change through their configuration, wait until typing
 * pauses and no large document is being parsed in the background. A check that is due still lets the requests already received go first (a completion
 * sent with the keystroke should not wait for the diagnostics of that keystroke).
 */
export class DiagnosticsScheduler {
  private readonly pending = new Map<string, { timer?: NodeJS.Timeout; immediate?: NodeJS.Immediate; patient: boolean }>();
  /** The last few checks' durations per document. */
  private readonly cost = new Map<string, number[]>();
  /** When each document last changed. */
  private readonly lastChange = new Map<string, number>();

  /**
   * `busy`: a large document is still being parsed in the background; other documents' checks wait for it.
   * `now`: the clock, in milliseconds.
   */
  constructor(private readonly check: (uri: string) => void, private readonly busy: () => boolean = () => false, private readonly now: () => number = () => performance.now()) {}

  /** `uri` changed: check it soon; `others` may see the change: check them when typing pauses. */
  changed(uri: string | undefined, others: readonly string[]): void {
    if (uri) {
      const at = this.now();
      const since = at - (this.lastChange.get(uri) ?? -Infinity);
      this.lastChange.set(uri, at);
      const cost = this.typicalCost(uri);
      this.at(uri, cost <= CHEAP_MS || since > cost ? SOON_MS : PAUSE_MS);
    }
    for (const o of others) if (o !== uri) this.at(o, OTHERS_MS, true);
  }

  /** How long a check of `uri` took. */
  took(uri: string, ms: number): void {
    const last = this.cost.get(uri);
    // the first check reads the whole document; later ones re-check what an edit touched
    this.cost.set(uri, last ? [...last.slice(1 - REMEMBERED), ms] : []);
  }

  /** The (lower) median of the last checks; none yet counts as cheap. */
  private typicalCost(uri: string): number {
    const last = [...(this.cost.get(uri) ?? [])].sort((a, b) => a - b);
    return last.length ? last[(last.length - 1) >> 1] : 0;
  }

  /** Is the check of an edited document other than `except` due? Background work lets it go first. */
  urgent(except?: string): boolean {
    for (const [uri, due] of this.pending) if (!due.patient && uri !== except) return true;
    return false;
  }

  /** Is a check of `uri` due? */
  due(uri: string): boolean {
    return this.pending.has(uri);
  }

  forget(uri: string): void {
    this.cancel(uri);
    this.cost.delete(uri);
    this.lastChange.delete(uri);
  }

  /** `patient`: a check for another document's change, which waits while `busy`. */
  private at(uri: string, ms: number, patient = false): void {
    this.cancel(uri);
    const due = { timer: undefined as NodeJS.Timeout | undefined, immediate: undefined as NodeJS.Immediate | undefined, patient };
    // Requests wait in the connection's queue, each taken on its own turn of the event loop
    // (setImmediate). Queue behind them, twice: a request read in the very turn the timer fires
    // (the read comes after timers) is queued after a single hop and would still wait for the check.
    due.timer = setTimeout(() => {
      if (patient && this.busy()) {
        this.at(uri, ms, patient);
        return;
      }
      due.immediate = setImmediate(() => {
        due.immediate = setImmediate(() => {
          this.pending.delete(uri);
          this.check(uri);
        });
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

/** How many checks the typical cost is taken over. */
const REMEMBERED = 5;
/** A check this fast runs after every keystroke. */
const CHEAP_MS = 50;
const SOON_MS = 2;
/** Otherwise wait this long for the next keystroke. */
const PAUSE_MS = 60;
/** Other open documents wait for a pause in typing. */
const OTHERS_MS = 200;
