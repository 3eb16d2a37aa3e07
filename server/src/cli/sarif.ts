import * as path from 'path';
import { pathToFileURL } from 'url';
import type { Range } from '../parse/lineIndex';
import type { Rule, Severity } from '../rules/types';
import { VERSION } from '../version';
import type { FileReport } from './report';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

/** SARIF regions are 1-based; columns count UTF-16 code units, as ours do. */
function region(r: Range) {
  return { startLine: r.start.line + 1, startColumn: r.start.character + 1, endLine: r.end.line + 1, endColumn: r.end.character + 1 };
}

/**
 * SARIF 2.1.0, as GitHub code scanning reads it: one run, every rule with its default level, and
 * results with paths relative to the folder the check ran in (%SRCROOT%). Fixes are included.
 */
export function formatSarif(reports: FileReport[], rules: readonly Rule[], cwd: string): string {
  const ruleIndex = new Map(rules.map((r, i) => [r.code, i]));
  const artifact = (file: string) => ({ uri: path.relative(cwd, file).split(path.sep).join('/'), uriBaseId: '%SRCROOT%' });
  const results = reports.flatMap(r => r.diagnostics.map(d => ({
    ruleId: d.code,
    ruleIndex: ruleIndex.get(d.code) ?? 0,
    level: LEVEL[d.severity],
    message: { text: d.message },
    locations: [{ physicalLocation: { artifactLocation: artifact(r.path), region: region(d.range) } }],
    ...(d.fixes?.length ? {
      fixes: d.fixes.map(f => ({
        description: { text: f.title },
        artifactChanges: [{
          artifactLocation: artifact(r.path),
          replacements: f.edits.map(e => ({ deletedRegion: region(e.range), insertedContent: { text: e.newText } })),
        }],
      })),
    } : {}),
  })));
  const notifications = reports.filter(r => r.error).map(r => ({ level: 'error', message: { text: `${r.path}: ${r.error}` } }));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'nix-ai',
          version: VERSION,
          rules: rules.map(r => ({
            id: r.code,
            shortDescription: { text: r.description },
            defaultConfiguration: { level: LEVEL[r.severity] },
          })),
        },
      },
      originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(cwd.endsWith(path.sep) ? cwd : cwd + path.sep).href } },
      invocations: [{ executionSuccessful: true, ...(notifications.length ? { toolExecutionNotifications: notifications } : {}) }],
      results,
    }],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
