import type { Configuration } from '../analysis/configuration';
import type { Release } from '../analysis/release';
import type { ScopeCache } from '../analysis/scopes';
import type { Knowledge } from '../options/knowledge';
import type { NixDocument } from '../parse/documents';
import type { Range } from '../parse/lineIndex';

export type Severity = 'error' | 'warning' | 'information' | 'hint';
export type Tag = 'unnecessary' | 'deprecated';

/** Replace the text between two offsets of the document. */
export interface Edit {
  start: number;
  end: number;
  newText: string;
}

/** A quick fix as a rule proposes it. */
export interface Fix {
  title: string;
  edits: Edit[];
  /** Safe to apply without a person looking (`nix-ai check --fix` applies only these). */
  safe?: boolean;
  /** The fix an editor offers first. */
  preferred?: boolean;
}

/** What a rule reports: offsets into the document's text. */
export interface RuleFinding {
  start: number;
  end: number;
  message: string;
  severity?: Severity;
  tags?: Tag[];
  fixes?: Fix[];
}

/** A text edit in positions (UTF-16), as the editor and the CLI's JSON see it. */
export interface TextEdit {
  range: Range;
  newText: string;
}

export interface FindingFix {
  title: string;
  edits: TextEdit[];
  safe: boolean;
  preferred: boolean;
}

/** A diagnostic as every feature and the CLI sees it: plain data, positions in UTF-16 units. */
export interface Finding {
  code: string;
  severity: Severity;
  range: Range;
  message: string;
  tags?: Tag[];
  fixes?: FindingFix[];
}

/** What a rule may know beyond the document itself. */
export interface RuleContext {
  /** Nix evaluates this file purely: it is a flake.nix or a file a flake reaches. */
  pure: boolean;
  release: Release;
  knowledge: Knowledge;
  /**
   * The configurations this file is part of, one per view (a specialisation, a home-manager
   * user …); a file nothing imports gets its own, which says it cannot see the rest.
   */
  configurations: readonly Configuration[];
  scopes: ScopeCache;
}

export interface Rule {
  /** Stable kebab-case code; users put it in ignore lists, so it never changes. */
  code: string;
  severity: Severity;
  /** One line for docs and `nix-ai rules`. */
  description: string;
  check(doc: NixDocument, ctx: RuleContext): RuleFinding[];
}
