import { Language, Parser } from 'web-tree-sitter';
import type { Node, Tree } from 'web-tree-sitter';

export type { Node, Tree };

/** Where the two .wasm files are: web-tree-sitter's runtime and our Nix grammar. */
export interface WasmPaths {
  runtime: string;
  grammar: string;
}

/** A parser for Nix. One per server or CLI run; a Parser is not safe to share across awaits. */
export interface NixParser {
  parse(text: string, oldTree?: Tree): Tree;
}

export async function loadNixParser(paths: WasmPaths): Promise<NixParser> {
  await Parser.init({ locateFile: () => paths.runtime });
  const language = await Language.load(paths.grammar);
  const parser = new Parser();
  parser.setLanguage(language);
  return {
    parse(text, oldTree) {
      const tree = parser.parse(text, oldTree ?? null);
      if (!tree) throw new Error('tree-sitter returned no tree');
      return tree;
    },
  };
}
