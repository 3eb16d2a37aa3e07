/**
 * Every setting of the extension and server, with its default. package.json's
 * contributes.configuration must match this table (test/unit/config.test.ts checks it).
 */
export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

interface SettingBase {
  description: string;
  /** Changing it takes effect only after "Nix: Restart Language Server". */
  restart?: boolean;
  /** Read by the client only; the server never sees it. */
  clientOnly?: boolean;
}

export type Setting =
  | (SettingBase & { type: 'string'; default: string; enum?: string[] })
  | (SettingBase & { type: 'array'; default: string[]; items: { type: 'string' } })
  | (SettingBase & { type: 'boolean'; default: boolean });

export const SETTINGS = {
  'nixAi.logLevel': {
    type: 'string', default: 'info', enum: ['error', 'warn', 'info', 'debug'],
    description: 'How much the language server writes to its Output channel.',
  },
  'nixAi.diagnostics.ignore': {
    type: 'array', default: [], items: { type: 'string' },
    description: 'Diagnostic codes to hide everywhere, e.g. ["pipe-operator"]. A single line can be silenced with a comment: # nix-ai: ignore <code>.',
  },
  'nixAi.server.path': {
    type: 'string', default: '', restart: true, clientOnly: true,
    description: 'Run this nix-ai-ls executable instead of the bundled server (it is started with --stdio). Leave empty for the bundled one.',
  },
  'nixAi.trace.server': {
    type: 'string', default: 'off', enum: ['off', 'messages', 'verbose'], clientOnly: true,
    description: 'Log the messages between VS Code and the language server to the Output channel, for debugging.',
  },
} satisfies Record<string, Setting>;

export type SettingKey = keyof typeof SETTINGS;

export interface ServerSettings {
  logLevel: LogLevel;
  ignore: ReadonlySet<string>;
}

export const DEFAULT_SETTINGS: ServerSettings = {
  logLevel: SETTINGS['nixAi.logLevel'].default as LogLevel,
  ignore: new Set(SETTINGS['nixAi.diagnostics.ignore'].default),
};

/**
 * Read the server's settings from what the client sent (the `nixAi` section). A bad value is
 * reported for its key and replaced by the default; the other keys still apply.
 */
export function parseSettings(raw: unknown): { settings: ServerSettings; problems: string[] } {
  const problems: string[] = [];
  const section = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const levels = SETTINGS['nixAi.logLevel'].enum;
  let logLevel = DEFAULT_SETTINGS.logLevel;
  if (section.logLevel !== undefined) {
    if (typeof section.logLevel === 'string' && levels.includes(section.logLevel)) logLevel = section.logLevel as LogLevel;
    else problems.push(`nixAi.logLevel: expected one of ${levels.join(', ')}, got ${JSON.stringify(section.logLevel)}; using "${logLevel}"`);
  }
  let ignore = DEFAULT_SETTINGS.ignore;
  const diagnostics = section.diagnostics as Record<string, unknown> | undefined;
  const rawIgnore = diagnostics && typeof diagnostics === 'object' ? diagnostics.ignore : undefined;
  if (rawIgnore !== undefined) {
    if (Array.isArray(rawIgnore) && rawIgnore.every(c => typeof c === 'string')) ignore = new Set(rawIgnore as string[]);
    else problems.push('nixAi.diagnostics.ignore: expected a list of diagnostic codes; ignoring nothing');
  }
  return { settings: { logLevel, ignore }, problems };
}
