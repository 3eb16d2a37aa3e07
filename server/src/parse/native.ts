import { builtFile, bundledWasm } from '../wasmPaths';
import { FlatTree, type GrammarTables } from './flatTree';
import { loadNixParser, type NixParser } from './language';

/** The file name of the native parser (server/native/nix_parser.c, built by build-grammar). */
export const NATIVE_ADDON = 'nix-ai-parser.node';

/** What the addon gives: FlatTree's arrays for a whole text, and the grammar's tables. */
interface Addon {
  parseFlat(text: string): {
    size: number;
    typeOf: Uint16Array;
    fieldOf: Uint16Array;
    flags: Uint8Array;
    start: Int32Array;
    end: Int32Array;
    parent: Int32Array;
    after: Int32Array;
    prev: Int32Array;
  };
  grammar(): GrammarTables;
}

/** Parses a whole text natively into a FlatTree (the same tree web-tree-sitter's parse gives). */
export type NativeParse = (text: string) => FlatTree;

/**
 * The native parser beside the bundle (dist/) or in the checkout's build folder, or why it could
 * not be loaded (not built, built for another platform): then parsing stays with web-tree-sitter.
 */
export function loadNativeParser(dir: string): { parse: NativeParse } | { reason: string } {
  const file = builtFile(dir, NATIVE_ADDON)?.file;
  if (!file) return { reason: `${NATIVE_ADDON} was not built (npm run build:grammar)` };
  let addon: Addon;
  try {
    // a plain require would make the bundler try to pack the addon
    const load = module.require.bind(module) as (id: string) => Addon;
    addon = load(file);
  } catch (e) {
    return { reason: `${file} does not load here (${(e as Error).message.split('\n')[0]})` };
  }
  const grammar = addon.grammar();
  return {
    parse: text => {
      const t = addon.parseFlat(text);
      return new FlatTree(text, grammar, t.typeOf, t.fieldOf, t.flags, t.start, t.end, t.parent, t.after, t.prev, t.size);
    },
  };
}

/**
 * The parser for the CLI, the MCP server and the standalone language server: web-tree-sitter for
 * trees that are edited, the native parser for whole texts where it loads (`say` hears once why
 * it did not). NIX_AI_PARSER=wasm keeps everything on web-tree-sitter (VS Code's extension host).
 */
export async function loadParser(dir: string, say: (message: string) => void, onFault?: (message: string) => void): Promise<NixParser> {
  let native: NativeParse | undefined;
  if (process.env.NIX_AI_PARSER !== 'wasm') {
    const loaded = loadNativeParser(dir);
    if ('parse' in loaded) native = loaded.parse;
    else say(`nix-ai: parsing with WebAssembly, slower: ${loaded.reason}`);
  }
  return loadNixParser(bundledWasm(dir), onFault, native);
}
