import type { ChildProcessWithoutNullStreams } from 'child_process';

/** A minimal JSON-RPC client over the server's stdio, as an editor would speak to it. */
export class Client {
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly waiting = new Map<number, (msg: any) => void>();
  private readonly listeners: Array<(msg: any) => boolean> = [];

  constructor(private readonly proc: ChildProcessWithoutNullStreams) {
    proc.stdout.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      for (;;) {
        const headerEnd = this.buffer.indexOf('\r\n\r\n');
        if (headerEnd === -1) return;
        const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, headerEnd).toString())![1]);
        if (this.buffer.length < headerEnd + 4 + length) return;
        const msg = JSON.parse(this.buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8'));
        this.buffer = this.buffer.subarray(headerEnd + 4 + length);
        if (msg.method === undefined && this.waiting.has(msg.id)) {
          this.waiting.get(msg.id)!(msg);
          this.waiting.delete(msg.id);
        } else {
          for (let i = this.listeners.length - 1; i >= 0; i--) if (this.listeners[i](msg)) this.listeners.splice(i, 1);
        }
      }
    });
  }

  private send(msg: object): void {
    this.proc.stdin.write(Client.frame(msg));
  }

  /** The bytes of one message as an editor frames it. */
  static frame(msg: object): Buffer {
    const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...msg }), 'utf8');
    return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`), body]);
  }

  /** Write bytes as they are (framed or not), in one write. */
  raw(bytes: Buffer | string): void {
    this.proc.stdin.write(bytes);
  }

  /** A new request id, and the answer to it once some `raw` write has sent the request. */
  expect(): { id: number; answer: Promise<any> } {
    const id = this.nextId++;
    return { id, answer: new Promise(resolve => this.waiting.set(id, resolve)) };
  }

  request(method: string, params: unknown): Promise<any> {
    const id = this.nextId++;
    return new Promise(resolve => {
      this.waiting.set(id, msg => resolve(msg));
      this.send({ id, method, params });
    });
  }

  notify(method: string, params: unknown): void {
    this.send({ method, params });
  }

  /** Call `fn` for every message from the server that is not an answer to our requests. */
  onMessage(fn: (msg: any) => void): void {
    this.listeners.unshift(msg => {
      fn(msg);
      return false;
    });
  }

  /** Answer a request the server sent us. */
  respond(id: number | string, result: unknown): void {
    this.send({ id, result });
  }

  /** The next notification matching `pred`, or a rejection after `ms`. */
  next(pred: (msg: any) => boolean, ms = 10_000): Promise<any> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no matching message from the server')), ms);
      this.listeners.push(msg => {
        if (!pred(msg)) return false;
        clearTimeout(timer);
        resolve(msg);
        return true;
      });
    });
  }
}
