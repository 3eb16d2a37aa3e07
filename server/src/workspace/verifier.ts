/**
 * Once typing in a document pauses, its provisional tree (re-parsed from the previous one with
 * a syntax error, see PendingDocument) is compared with a parse from scratch. Per keystroke the
 * re-parse takes milliseconds; the parse from scratch (about 0.2 s for 0.8 MB) is paid once per
 * pause, and only by text that is broken.
 */
export class TreeVerifier {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  /** `verify(uri)`: compare now, or say 'later' (the document is still being parsed). */
  constructor(private readonly verify: (uri: string) => 'done' | 'later', private readonly pauseMs = VERIFY_PAUSE_MS) {}

  /** `uri` changed: compare after the next pause in its changes. */
  changed(uri: string): void {
    this.forget(uri);
    this.timers.set(uri, setTimeout(() => {
      this.timers.delete(uri);
      if (this.verify(uri) === 'later') this.changed(uri);
    }, this.pauseMs));
  }

  /** Work on `uri` went on (a check published): the pause starts again, if one was awaited. */
  busy(uri: string): void {
    if (this.timers.has(uri)) this.changed(uri);
  }

  forget(uri: string): void {
    clearTimeout(this.timers.get(uri));
    this.timers.delete(uri);
  }
}

/** A pause in typing this long (ms) is taken as the end of a burst of keystrokes. */
export const VERIFY_PAUSE_MS = 400;
