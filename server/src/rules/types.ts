import type { NixDocument } from '../parse/documents';
import type { Range } from '../parse/lineIndex';

export type Severity = 'error' | 'warning' | 'information' | 'hint';
export type Tag = 'unnecessary' | 'deprecated';

/** What a rule reports: offsets into the document's text. */
export interface RuleFinding {
  start: number;
  end: number;
  message: string;
  severity?: Severity;
  tags?: Tag[];
  data?: unknown;
}

/** A diagnostic as every feature and the CLI sees it: plain data, positions in UTF-16 units. */
export interface Finding {
  code: string;
  severity: Severity;
  range: Range;
  message: string;
  tags?: Tag[];
  data?: unknown;
}

export interface Rule {
  /** Stable kebab-case code; users put it in ignore lists, so it never changes. */
  code: string;
  severity: Severity;
  /** One line for docs and `nix-ai check --list-rules`. */
  description: string;
  check(doc: NixDocument): RuleFinding[];
}
