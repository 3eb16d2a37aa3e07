import type { Configuration } from '../analysis/configuration';
import type { FlakeLock } from '../analysis/flakeLock';
import type { Release } from '../analysis/release';
import type { ScopeCache } from '../analysis/scopes';
import type { Knowledge } from '../options/knowledge';
import type { NixDocument } from '../parse/documents';
import type { Node } from '../parse/language';
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
  /** A module in a flake's folder that no configuration of the flake is shown to use. */
  inFlake?: boolean;
  /** The file's path (configurations index their definitions by it). */
  file?: string;
  /**
   * How the workspace calls this file, for an argument's default: every caller passes it
   * ('passed'), nothing here calls the file ('entry': nix-build, nix-shell call it bare), or some
   * caller may not ('mixed').
   */
  defaultUse?(name: string, instead?: readonly string[]): 'passed' | 'entry' | 'mixed';
  release: Release;
  knowledge: Knowledge;
  /**
   * The configurations this file is part of, one per view (a specialisation, a home-manager
   * user …); a file nothing imports gets its own, which says it cannot see the rest.
   */
  configurations: readonly Configuration[];
  scopes: ScopeCache;
  /** The flake.lock beside this flake.nix, when there is one (read by stale-input). */
  lock?: FlakeLock;
  /** Now, in ms since the epoch: how old a locked input is. */
  now?: number;
  /** A locked nixpkgs older than this many days is stale (nixAi.diagnostics.staleInputDays). */
  staleAfterDays?: number;
  /**
   * When a pass looks at the header of a large file (see parse/units.ts): what its units refer
   * to outside themselves, which the header's own nodes cannot show.
   */
  outside?: Outside;
}

/** What the units of a large file use from the header and which names they bind. */
export interface Outside {
  /** The container whose children are the units. */
  readonly container: Node;
  /** Does a unit refer to this binding of the header? */
  usesBinding(scope: Node, name: string): boolean;
  /** Does a unit take a name from this `with` of the header? */
  usesWith(env: Node): boolean;
  /** The units that bind a name another unit (or the same one) binds too, in document order. */
  sharingNames(): Node[];
}

export interface Rule {
  /** Stable kebab-case code; users put it in ignore lists, so it never changes. */
  code: string;
  severity: Severity;
  /** One line for docs and `nix-ai rules`. */
  description: string;
  /**
   * `local` (the default): what the rule finds in one part of a file depends only on that part
   * and the nodes around it, so a large file is checked one unit at a time and an edit re-checks
   * its unit only. `file`: it reads the configuration model and runs on the whole file.
   */
  scope?: 'local' | 'file';
  /**
   * In a pin loader a tool generates (niv's sources.nix, npins, lon): only errors. Its impure
   * reads are the tool's design (overrides from the environment, a fallback to <nixpkgs>) and the
   * next run of the tool rewrites any edit.
   */
  errorsOnlyInPinLoaders?: boolean;
  check(doc: NixDocument, ctx: RuleContext): RuleFinding[];
}
