import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import * as fs from 'fs';
import * as path from 'path';
import { ROOT } from '../helpers';
import { offlineFlakeConfig, tmpDir } from '../fixtureWorkspace';

export const CLI = path.join(ROOT, 'dist', 'cli.js');

export interface Connected {
  client: Client;
  stderr(): string;
  close(): Promise<void>;
}

/** `nix-ai mcp ROOT ARGS` through the SDK's own client over stdio, with offline Nix settings and a cache of its own. */
export async function connect(root: string, args: string[] = [], env: Record<string, string> = {}): Promise<Connected> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, 'mcp', root, ...args],
    env: { ...(process.env as Record<string, string>), NIX_CONFIG: offlineFlakeConfig(), XDG_CACHE_HOME: tmpDir('mcp-cache'), ...env },
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); });
  const client = new Client({ name: 'nix-ai-test', version: '1' });
  await client.connect(transport);
  return { client, stderr: () => stderr, close: () => client.close() };
}

export async function call(c: Connected, name: string, args: Record<string, unknown> = {}): Promise<CallToolResult> {
  return (await c.client.callTool({ name, arguments: args })) as CallToolResult;
}

export function text(r: CallToolResult): string {
  return r.content.map(c => (c.type === 'text' ? c.text : '')).join('\n');
}

export function structured<T>(r: CallToolResult): T {
  if (r.isError) throw new Error(`tool failed: ${text(r)}`);
  return r.structuredContent as T;
}

/** A folder of files. */
export function folder(name: string, files: Record<string, string>): string {
  const dir = tmpDir(name);
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
  }
  return dir;
}

/**
 * A flake that needs no inputs: fake configurations whose builds are tiny derivations (the nonce
 * makes them new to the store each run, so they really build), a broken one, a home configuration,
 * a dev shell and packages; `old-system` stands for the running system.
 */
export function toolsFlake(nonce = `${process.pid}-${Date.now()}`): Record<string, string> {
  return {
    'flake.nix': `{
  outputs = { self }:
    let
      system = "x86_64-linux";
      drv = name: deps: derivation {
        inherit name system;
        nonce = "${nonce}";
        builder = "/bin/sh";
        args = [ "-c" "echo making ${'$'}{name}; echo ${'$'}{toString deps} > $out" ];
      };
    in {
      nixosConfigurations.box = {
        pkgs.stdenv.hostPlatform.system = system;
        config.system.build.toplevel = drv "nixos-system-box-2" [ (drv "hello-1.1" [ ]) (drv "fresh-3.0" [ ]) ];
      };
      nixosConfigurations.broken = { config.system.build.toplevel = import ./broken.nix; };
      homeConfigurations."me@laptop" = { activationPackage = drv "home-files" [ ]; };
      devShells.\${system}.default = drv "shell" [ ];
      packages.\${system} = {
        hello = drv "hello-1.1" [ ];
        old-system = drv "nixos-system-box-1" [ (drv "hello-1.0" [ ]) (drv "gone-2.0" [ ]) ];
      };
    };
}
`,
    'broken.nix': 'let x = 1; in missingThing + x\n',
    'gpu.nix': '{ ... }:\n{\n  services.xserver.videoDrivers = [ "nvidia" ];\n  hardware.opengl.driSupport32Bit = true;\n  hardware.nvidia.prime.nvidiaBusId = "PCI:c4:0:0";\n}\n',
  };
}
