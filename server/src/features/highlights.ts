import type { NixDocument } from '../parse/documents';
import { references, type Occurrence } from './references';

/** The name under the cursor and its other occurrences, to highlight in the editor. */
export function highlights(doc: NixDocument, offset: number): Occurrence[] {
  return references(doc, offset, true);
}
