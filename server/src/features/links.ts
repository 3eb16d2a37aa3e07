import * as path from 'path';
import { pathToFileURL } from 'url';
import { filePathOf } from '../analysis/definitions';
import { staticPath } from '../analysis/fileRefs';
import type { NixDocument } from '../parse/documents';
import type { Cursor, Node } from '../parse/language';
import { descendants } from '../parse/syntaxTree';

export interface Link {
  start: number;
  end: number;
  /** A URI the editor opens. */
  target: string;
  tooltip?: string;
}

const LINKED = new Set(['path_expression', 'hpath_expression', 'uri_expression']);
const LINK_START = /^(https?:|github:|gitlab:|sourcehut:|git\+|tarball\+|file\+|path:)/;

/** What exists at a path: the editor opens a file, and a folder's default.nix. */
export type PathKind = (file: string) => 'file' | 'directory' | undefined;

/**
 * Links in a Nix file: paths that exist (a folder opens its default.nix), URLs, and flake
 * references to their web page (`github:owner/repo/ref` and the like).
 */
export function documentLinks(doc: NixDocument, kind: PathKind, home: string): Link[] {
  const file = doc.uri.startsWith('file:') ? filePathOf(doc.uri) : undefined;
  const out: Link[] = [];
  // a string is made into a node only when its text starts like a link: files hold many strings
  const wanted = (c: Cursor) => (c.nodeType === 'string_expression' ? LINK_START.test(doc.text.slice(c.startIndex + 1, c.startIndex + 12)) : LINKED.has(c.nodeType));
  for (const node of descendants(doc.tree.rootNode, { wanted })) {
    const link = node.type === 'string_expression' ? stringLink(node, file, kind) : node.type === 'uri_expression' ? webLink(node.startIndex, node.text) : pathLink(node, file, kind, home);
    if (link) out.push(link);
  }
  return out;
}

function pathLink(node: Node, file: string | undefined, kind: PathKind, home: string): Link | undefined {
  const found = pathFile(node, file, kind, home);
  return found && fileLink(node.startIndex, node.endIndex, found);
}

function fileLink(start: number, end: number, found: { file: string; entry?: string }): Link {
  return { start, end, target: pathToFileURL(found.file).href, ...(found.entry ? { tooltip: `Open ${found.entry}` } : {}) };
}

/**
 * The file a path literal names, when it exists: the file itself, or a folder's first of
 * `entries`. Paths with interpolation and `<…>` name nothing here.
 */
export function pathFile(node: Node, file: string | undefined, kind: PathKind, home: string, entries = ['default.nix']): { file: string; entry?: string } | undefined {
  if (node.text.includes('${')) return undefined;
  const target = node.type === 'hpath_expression' ? path.join(home, node.text.slice(2)) : file ? staticPath(node, path.dirname(file)) : node.text.startsWith('/') ? node.text : undefined;
  return target ? existing(target, kind, entries) : undefined;
}

function existing(target: string, kind: PathKind, entries: string[]): { file: string; entry?: string } | undefined {
  const what = kind(target);
  if (what === 'file') return { file: target };
  if (what !== 'directory') return undefined;
  const entry = entries.find(e => kind(path.join(target, e)) === 'file');
  return entry ? { file: path.join(target, entry), entry } : undefined;
}

/** A string that is a URL or a flake reference as a whole: the text between the quotes. */
function stringLink(node: Node, file: string | undefined, kind: PathKind): Link | undefined {
  const parts = node.namedChildren;
  if (parts.length !== 1 || parts[0]?.type !== 'string_fragment') return undefined;
  const { startIndex, text } = parts[0];
  if (/^https?:\/\//.test(text)) return webLink(startIndex, text);
  const local = /^(?:path|git\+file):([^?]+)/.exec(text);
  if (local) {
    const target = path.isAbsolute(local[1]) ? local[1] : file ? path.resolve(path.dirname(file), local[1]) : undefined;
    const found = target ? existing(target, kind, ['flake.nix', 'default.nix']) : undefined;
    return found && fileLink(startIndex, startIndex + text.length, found);
  }
  const page = flakeRefPage(text);
  if (page) return { start: startIndex, end: startIndex + text.length, target: page, tooltip: `Open ${new URL(page).host}` };
  return undefined;
}

function webLink(start: number, text: string): Link | undefined {
  if (!/^https?:\/\/[^\s"]+$/.test(text)) return undefined;
  try {
    return { start, end: start + text.length, target: new URL(text).href };
  } catch {
    return undefined;
  }
}

/** The web page of a flake reference: the repository at the ref, or the URL a git or tarball input fetches. */
export function flakeRefPage(ref: string): string | undefined {
  const [main] = ref.split('?');
  const forge = /^(github|gitlab|sourcehut):([^/\s]+)\/([^/\s]+)(?:\/(\S+))?$/.exec(main);
  if (forge) {
    const [, kind, owner, repo, rev] = forge;
    const host = kind === 'github' ? 'https://github.com' : kind === 'gitlab' ? 'https://gitlab.com' : 'https://git.sr.ht';
    const tree = kind === 'gitlab' ? '/-/tree/' : '/tree/';
    return `${host}/${owner}/${repo}${rev ? tree + rev : ''}`;
  }
  const wrapped = /^(?:git|tarball|file)\+(https?:\/\/\S+)$/.exec(main);
  if (wrapped) return wrapped[1];
  return undefined;
}
