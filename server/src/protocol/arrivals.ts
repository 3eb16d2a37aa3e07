import type { Disposable, Message, MessageReader } from 'vscode-languageserver/node';

/**
 * The newest version of each open document the client has sent, noted as each message arrives,
 * before it waits its turn in the queue. A request whose document has a newer version waiting
 * behind it would answer about text the editor no longer shows: it gets ContentModified (the
 * editor asks again) instead of a parse of a version about to be replaced.
 */
export class Arrivals {
  private readonly latest = new Map<string, number>();

  /** `reader`, noting the versions of the messages it delivers. */
  watch(reader: MessageReader): MessageReader {
    return {
      onError: reader.onError,
      onClose: reader.onClose,
      onPartialMessage: reader.onPartialMessage,
      listen: (callback): Disposable => reader.listen(message => {
        this.note(message);
        callback(message);
      }),
      dispose: () => reader.dispose(),
    };
  }

  /** Has a version of `uri` newer than `version` arrived? */
  newerThan(uri: string, version: number): boolean {
    return (this.latest.get(uri) ?? -Infinity) > version;
  }

  private note(message: Message): void {
    const m = message as { method?: string; params?: { textDocument?: { uri?: unknown; version?: unknown } } };
    const doc = m.params?.textDocument;
    if (typeof doc?.uri !== 'string') return;
    if (m.method === 'textDocument/didClose') this.latest.delete(doc.uri);
    else if ((m.method === 'textDocument/didOpen' || m.method === 'textDocument/didChange') && typeof doc.version === 'number') this.latest.set(doc.uri, doc.version);
  }
}
