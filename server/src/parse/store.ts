import { applyChanges, createDocument, type EditableDocument, type TextChange } from './documents';
import type { NixParser } from './language';

/** uri -> the current document. Replaced documents free their trees. */
export class DocumentStore {
  private readonly docs = new Map<string, EditableDocument>();

  constructor(readonly parser: NixParser) {}

  open(uri: string, version: number, text: string): EditableDocument {
    this.close(uri);
    const doc = createDocument(this.parser, uri, version, text);
    this.docs.set(uri, doc);
    return doc;
  }

  change(uri: string, version: number, changes: TextChange[]): EditableDocument | undefined {
    const old = this.docs.get(uri);
    if (!old) return undefined;
    const doc = applyChanges(this.parser, old, version, changes);
    this.docs.set(uri, doc);
    old.tree.delete();
    return doc;
  }

  close(uri: string): void {
    this.docs.get(uri)?.tree.delete();
    this.docs.delete(uri);
  }

  uris(): string[] {
    return [...this.docs.keys()];
  }

  get(uri: string): EditableDocument | undefined {
    return this.docs.get(uri);
  }
}
