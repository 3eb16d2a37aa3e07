import { Transform, type TransformCallback } from 'stream';

/** A header block longer than this without its blank line is not a header. */
const MAX_HEADER_BYTES = 8192;
/** A larger announced body is taken for a corrupt header (an editor never sends 1 GB at once). */
const MAX_BODY_BYTES = 1 << 30;
/** How many malformed headers are reported one by one before the rest are only counted. */
const REPORTED = 20;

const HEADER_LINE = /^[!#-'*+.0-9A-Z^_`a-z|~-]+:[ \t]*(.*?)[ \t]*$/;
const CONTENT_LENGTH = /^content-length:/i;

/**
 * The frames of a stdio connection (`Content-Length: N`, a blank line, N bytes), passed on
 * untouched when they are well formed. A malformed header is reported in one line and skipped up
 * to the next `Content-Length:`, so stray bytes, a missing, negative or non-numeric length, or a
 * header without its blank line cost that message only, instead of leaving the server deaf.
 * The body is passed on as it arrives, never buffered here.
 */
export class FrameFilter extends Transform {
  private head = Buffer.alloc(0);
  /** Body bytes still to pass on; -1 while reading a header. */
  private body = -1;
  private malformed = 0;
  /** Skipping since the last report: what follows a bad header up to the next good one is one problem. */
  private skipping = false;

  /** `source`: where the frames come from, for the reports ("stdin", "the socket"). */
  constructor(private readonly report: (message: string) => void, private readonly source = 'stdin') {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    let rest = chunk;
    while (rest.length) {
      if (this.body > 0) {
        const n = Math.min(this.body, rest.length);
        this.push(rest.subarray(0, n));
        this.body -= n;
        rest = rest.subarray(n);
        continue;
      }
      this.head = this.head.length ? Buffer.concat([this.head, rest]) : rest;
      rest = this.readHeaders();
    }
    done();
  }

  /** Read one header block from `head` if it is complete; returns the bytes after it. */
  private readHeaders(): Buffer {
    const end = this.head.indexOf('\r\n\r\n');
    if (end < 0) {
      if (this.head.length > MAX_HEADER_BYTES) this.skip(this.head.length - 16, 'a header without its blank line');
      return Buffer.alloc(0);
    }
    const text = this.head.subarray(0, end).toString('latin1');
    const after = this.head.subarray(end + 4);
    const length = lengthOf(text);
    if (length === undefined) {
      this.skip(end + 4, JSON.stringify(text.length > 120 ? `${text.slice(0, 117)}...` : text));
      const rest = this.head;
      this.head = Buffer.alloc(0);
      return rest;
    }
    this.head = Buffer.alloc(0);
    this.skipping = false;
    this.push(Buffer.from(`Content-Length: ${length}\r\n\r\n`, 'latin1'));
    this.body = length;
    return after;
  }

  /**
   * Drop what cannot be a header, keeping `head` from the next `Content-Length:` after its
   * first byte (which may sit inside the dropped block: `junk\r\nContent-Length: 2\r\n\r\n`),
   * else from `keepFrom`.
   */
  private skip(keepFrom: number, what: string): void {
    if (!this.skipping) {
      this.skipping = true;
      this.malformed++;
      if (this.malformed <= REPORTED) this.report(`ignored malformed input on ${this.source}: ${what}; waiting for the next Content-Length header`);
      else if (this.malformed === REPORTED + 1) this.report(`more malformed input on ${this.source}; no longer reported one by one`);
    }
    const text = this.head.toString('latin1');
    const next = text.slice(1).search(/content-length:/i);
    if (next >= 0) this.head = this.head.subarray(next + 1);
    else this.head = this.head.subarray(keepFrom);
  }
}

/** The body length a header block announces, or undefined when the block is not a valid header. */
function lengthOf(block: string): number | undefined {
  let length: number | undefined;
  for (const line of block.split('\r\n')) {
    const m = HEADER_LINE.exec(line);
    if (!m) return undefined;
    if (CONTENT_LENGTH.test(line)) {
      if (length !== undefined || !/^\d{1,10}$/.test(m[1]) || Number(m[1]) > MAX_BODY_BYTES) return undefined;
      length = Number(m[1]);
    }
  }
  return length !== undefined && length > 0 ? length : undefined;
}
