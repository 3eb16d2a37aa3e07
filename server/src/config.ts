/**
 * Every setting of the extension and server, with its default. package.json's
 * contributes.configuration must match this table (test/unit/config.test.ts checks it).
 */
import type { HintKind } from './features/inlayHints';
import { RELEASES } from './options/catalog';

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';
export type SeverityName = 'error' | 'warning' | 'information' | 'hint' | 'off';
const SEVERITY_NAMES: SeverityName[] = ['error', 'warning', 'information', 'hint', 'off'];

interface SettingBase {
  description: string;
  /** Changing it takes effect only after "Nix: Restart Language Server". */
  restart?: boolean;
  /** Read by the client only; the server never sees it. */
  clientOnly?: boolean;
  /** A program to run: in an untrusted workspace VS Code ignores the workspace's own value. */
  restricted?: boolean;
}

export type Setting =
  | (SettingBase & { type: 'string'; default: string; enum?: string[] })
  | (SettingBase & { type: 'array'; default: string[]; items: { type: 'string' } })
  | (SettingBase & { type: 'boolean'; default: boolean })
  | (SettingBase & { type: 'number'; default: number; minimum: number })
  | (SettingBase & { type: 'object'; default: Record<string, string>; additionalProperties: { type: 'string'; enum: string[] } });

export const SETTINGS = {
  'nixAi.logLevel': {
    type: 'string', default: 'info', enum: ['error', 'warn', 'info', 'debug'],
    description: 'How much the language server writes to its Output channel.',
  },
  'nixAi.diagnostics.ignored': {
    type: 'array', default: [], items: { type: 'string' },
    description: 'Diagnostic codes to hide everywhere, e.g. ["pipe-operator"]. A single line can be silenced with a comment: # nix-ai: ignore <code>.',
  },
  'nixAi.diagnostics.severity': {
    type: 'object', default: {}, additionalProperties: { type: 'string', enum: SEVERITY_NAMES },
    description: 'Change the severity of diagnostic codes, e.g. { "unused-binding": "hint", "impure-env": "error" }; "off" hides the code.',
  },
  'nixAi.maxFileSizeMB': {
    type: 'number', default: 5, minimum: 0.1,
    description: 'In a file larger than this (in megabytes) only syntax errors are checked, the outline, folding, references and highlights are off, and one information diagnostic says so: a machine-made file of many megabytes stays quick to edit.',
  },
  'nixAi.nixosRelease': {
    type: 'string', default: 'auto', enum: ['auto', ...RELEASES],
    description: 'The NixOS release your configurations target, for release-dependent diagnostics. "auto" reads the nixpkgs input in flake.lock and otherwise assumes the newest stable release.',
  },
  'nixAi.server.path': {
    type: 'string', default: '', restart: true, clientOnly: true, restricted: true,
    description: 'Run this nix-ai-ls executable instead of the bundled server (it is started with --stdio). Leave empty for the bundled one.',
  },
  'nixAi.trace.server': {
    type: 'string', default: 'off', enum: ['off', 'messages', 'verbose'], clientOnly: true,
    description: 'Log the messages between VS Code and the language server to the Output channel, for debugging.',
  },
  'nixAi.diagnostics.staleInputDays': {
    type: 'number', default: 60, minimum: 1,
    description: 'stale-input reports a locked nixpkgs input older than this many days.',
  },
  'nixAi.options.load': {
    type: 'boolean', default: true,
    description: 'Load every NixOS (and home-manager) option from your own nixpkgs by running nix, in trusted workspaces only. When off, or when nix is missing, completion and hover use the built-in GPU/AI catalog.',
  },
  'nixAi.options.host': {
    type: 'string', default: '',
    description: 'Which nixosConfigurations (darwinConfigurations, homeConfigurations) entry of flake.nix to read options from. Empty: the one named like this machine, else the first.',
  },
  'nixAi.options.nixpkgs': {
    type: 'string', default: '',
    description: 'A nixpkgs checkout to read NixOS options from when the workspace has no flake.nix. Empty: <nixpkgs> from NIX_PATH.',
  },
  'nixAi.options.json': {
    type: 'string', default: '',
    description: 'An options.json in the format the NixOS manual build writes; when set, options are read from it and nothing is evaluated.',
  },
  'nixAi.options.download': {
    type: 'string', default: 'ask', enum: ['ask', 'on', 'off'],
    description: 'Where nix cannot run (or the workspace is not trusted): download the option and package lists NixOS publishes for the detected release. ask: once per workspace; on: without asking in trusted workspaces; off: never use the network.',
  },
  'nixAi.options.downloadUrl': {
    type: 'string', default: 'https://channels.nixos.org/{channel}', restricted: true,
    description: 'Where the lists are downloaded from: a folder holding options.json(.br) and packages.json(.br); {channel} becomes nixos-25.11 or nixos-unstable.',
  },
  'nixAi.options.timeoutSeconds': {
    type: 'number', default: 240, minimum: 1,
    description: 'Stop an option evaluation that takes longer than this.',
  },
  'nixAi.options.memoryLimitMB': {
    type: 'number', default: 6144, minimum: 64,
    description: 'Stop an option evaluation whose memory grows past this many megabytes (Linux).',
  },
  'nixAi.rebuild.useNh': {
    type: 'boolean', default: false, clientOnly: true,
    description: 'Rebuild with nh (nh os / nh home / nh darwin) when it is on PATH, instead of nixos-rebuild, home-manager or darwin-rebuild.',
  },
  'nixAi.rebuild.safeSwitch': {
    type: 'boolean', default: false, clientOnly: true,
    description: 'For "switch", build first and switch only when the build succeeded.',
  },
  'nixAi.formatter.command': {
    type: 'array', default: ['nixfmt'], items: { type: 'string' }, restricted: true,
    description: 'The formatter the language server runs for Format Document, as a program and its arguments; it reads the file on standard input and prints the result. Empty: no formatting.',
  },
  'nixAi.inlayHints.flakeLock': {
    type: 'boolean', default: true,
    description: 'In flake.nix, after each input\'s url: the branch, revision and age flake.lock pins it to.',
  },
  'nixAi.inlayHints.optionDefaults': {
    type: 'boolean', default: true,
    description: 'After an option set to its default value: "= default", since the line changes nothing.',
  },
  'nixAi.inlayHints.bindingEnds': {
    type: 'boolean', default: true,
    description: 'At the end of a binding whose value runs 25 lines or more: the binding\'s name.',
  },
  'nixAi.doctor.runAtStart': {
    type: 'boolean', default: false, clientOnly: true,
    description: 'Check this machine\'s GPU stack (driver, CUDA, containers) when the extension starts, and show a warning in the status bar when a check fails or warns. "Nix: Diagnose GPU" runs the same checks on demand.',
  },
  'nixAi.doctor.root': {
    type: 'string', default: '/', clientOnly: true,
    description: 'The folder the GPU doctor reads the machine from: / for this machine, or where another machine\'s disk is mounted. Under another folder its programs (nvidia-smi) are not run.',
  },
  'nixAi.nix.path': {
    type: 'string', default: 'nix', restricted: true,
    description: 'The nix executable; nix-instantiate is taken from the same folder. The default finds both on PATH.',
  },
} satisfies Record<string, Setting>;

export type SettingKey = keyof typeof SETTINGS;

export interface ServerSettings {
  logLevel: LogLevel;
  ignore: ReadonlySet<string>;
  severity: Readonly<Record<string, SeverityName>>;
  nixosRelease: string;
  staleInputDays: number;
  /** Past this many characters a file gets its syntax checked only. */
  maxFileChars: number;
  options: {
    load: boolean;
    host: string;
    nixpkgs: string;
    json: string;
    timeoutMs: number;
    memoryLimitMb: number;
    /** Download the lists NixOS publishes where nix cannot run: ask first, do it, or never. */
    download: 'ask' | 'on' | 'off';
    downloadUrl: string;
  };
  nixPath: string;
  /** The formatter's argv; empty: no formatting. */
  formatter: string[];
  /** The kinds of inlay hints that are on. */
  inlayHints: ReadonlySet<HintKind>;
}

type ServerKey = Exclude<SettingKey, 'nixAi.server.path' | 'nixAi.trace.server' | 'nixAi.rebuild.useNh' | 'nixAi.rebuild.safeSwitch'>;

function build(get: <K extends ServerKey>(key: K) => (typeof SETTINGS)[K]['default']): ServerSettings {
  return {
    logLevel: get('nixAi.logLevel') as LogLevel,
    ignore: new Set(get('nixAi.diagnostics.ignored')),
    severity: get('nixAi.diagnostics.severity') as Record<string, SeverityName>,
    nixosRelease: get('nixAi.nixosRelease'),
    staleInputDays: get('nixAi.diagnostics.staleInputDays'),
    maxFileChars: Math.round(get('nixAi.maxFileSizeMB') * 1024 * 1024),
    options: {
      load: get('nixAi.options.load'),
      host: get('nixAi.options.host'),
      nixpkgs: get('nixAi.options.nixpkgs'),
      json: get('nixAi.options.json'),
      timeoutMs: get('nixAi.options.timeoutSeconds') * 1000,
      memoryLimitMb: get('nixAi.options.memoryLimitMB'),
      download: get('nixAi.options.download') as 'ask' | 'on' | 'off',
      downloadUrl: get('nixAi.options.downloadUrl'),
    },
    nixPath: get('nixAi.nix.path') || 'nix',
    formatter: get('nixAi.formatter.command'),
    inlayHints: new Set(([['flakeLock', get('nixAi.inlayHints.flakeLock')], ['optionDefaults', get('nixAi.inlayHints.optionDefaults')], ['bindingEnds', get('nixAi.inlayHints.bindingEnds')]] as const)
      .filter(([, on]) => on).map(([kind]) => kind)),
  };
}

export const DEFAULT_SETTINGS: ServerSettings = build(key => SETTINGS[key].default);

/**
 * Read the server's settings from what the client sent (the `nixAi` section). A bad value is
 * reported for its key and replaced by the default; the other keys still apply.
 */
export function parseSettings(raw: unknown): { settings: ServerSettings; problems: string[] } {
  const problems: string[] = [];
  const section = raw && typeof raw === 'object' ? raw : {};
  const settings = build(key => {
    const schema: Setting = SETTINGS[key];
    let value: unknown = section;
    for (const part of key.split('.').slice(1)) value = value && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined;
    if (value === undefined) return schema.default as never;
    const problem = check(schema, value);
    if (!problem) return value as never;
    problems.push(`${key}: ${problem}, got ${JSON.stringify(value)}; using ${JSON.stringify(schema.default)}`);
    return schema.default as never;
  });
  return { settings, problems };
}

function check(schema: Setting, value: unknown): string | undefined {
  switch (schema.type) {
    case 'string':
      if (typeof value !== 'string') return 'expected a string';
      return schema.enum && !schema.enum.includes(value) ? `expected one of ${schema.enum.join(', ')}` : undefined;
    case 'array':
      return Array.isArray(value) && value.every(v => typeof v === 'string') ? undefined : 'expected a list of strings';
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'expected true or false';
    case 'number':
      return typeof value === 'number' && value >= schema.minimum ? undefined : `expected a number of at least ${schema.minimum}`;
    case 'object': {
      if (!value || typeof value !== 'object' || Array.isArray(value)) return 'expected an object';
      const allowed = schema.additionalProperties.enum;
      const bad = Object.entries(value).find(([, v]) => typeof v !== 'string' || !allowed.includes(v));
      return bad ? `"${bad[0]}" must be one of ${allowed.join(', ')}` : undefined;
    }
  }
}
