import { PendingDocument, type EditableDocument, type TextChange } from './documents';
import type { NixParser } from './language';

/**
 * uri -> the current document. A document's tree is parsed when first read (see
 * PendingDocument), so edits nobody looked at between share one parse. Replaced documents free
 * their trees.
 */
export class DocumentStore {
  private readonly docs = new Map<string, PendingDocument>();

  constructor(readonly parser: NixParser) {}

  open(uri: string, version: number, text: string): EditableDocument {
    this.close(uri);
    const doc = PendingDocument.open(this.parser, uri, version, text);
    this.docs.set(uri, doc);
    return doc;
  }

  change(uri: string, version: number, changes: TextChange[]): EditableDocument | undefined {
    const old = this.docs.get(uri);
    if (!old) return undefined;
    const doc = PendingDocument.after(this.parser, old, version, changes);
    this.docs.set(uri, doc);
    old.dispose();
    return doc;
  }

  /**
   * Check the current version's provisional tree against a parse from scratch (see
   * PendingDocument.verify): true when the tree changed, and every answer about it may too.
   */
  verify(uri: string): boolean {
    const old = this.docs.get(uri);
    const fresh = old?.verify();
    if (!old || !fresh) return false;
    this.docs.set(uri, fresh);
    old.dispose();
    return true;
  }

  /** Parse the current version afresh when next read: its trees met a wasm fault. */
  renew(uri: string): void {
    const old = this.docs.get(uri);
    if (!old) return;
    this.docs.set(uri, old.renewed());
    old.dispose();
  }

  close(uri: string): void {
    this.docs.get(uri)?.dispose();
    this.docs.delete(uri);
  }

  uris(): string[] {
    return [...this.docs.keys()];
  }

  get(uri: string): PendingDocument | undefined {
    return this.docs.get(uri);
  }
}
