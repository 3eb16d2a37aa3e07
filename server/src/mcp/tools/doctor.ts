import { z } from 'zod/v4';
import { exitCode, runDoctor } from '../../doctor/doctor';
import type { Tool } from './tool';

const STATUS = z.enum(['ok', 'warn', 'fail', 'skip']);

/** The doctor's report of the machine the MCP server runs on, read-only. */
export const doctorTool: Tool = {
  name: 'doctor',
  config: {
    title: 'Check the machine\'s GPU stack',
    description: 'Read the machine this server runs on and check its GPU stack: the loaded NVIDIA kernel module against the installed driver (a mismatch needs a reboot), libcuda and nvidia-smi, whether shells and pip wheels can reach the driver, CUDA binary caches, the container toolkit\'s CDI spec, AMD /dev/kfd and groups, Intel\'s compute runtime, and how the flake\'s configuration of this host compares with what runs. Call it before and after switch. It writes nothing. Each check: id, status (ok, warn, fail, skip), message, fix.',
    outputSchema: {
      failed: z.boolean(),
      checks: z.array(z.object({ id: z.string(), status: STATUS, message: z.string(), fix: z.string(), action: z.object({ kind: z.string() }).passthrough().optional() })),
    },
    annotations: { readOnlyHint: true, openWorldHint: false },
  },
  handler: async ctx => {
    const report = await runDoctor({ workspace: ctx.root, parser: ctx.parser, env: ctx.env });
    const shown = report.checks.filter(c => c.status !== 'skip');
    const text = shown.map(c => `${c.status} ${c.id}: ${c.message}${c.fix && c.status !== 'ok' ? `\n  fix: ${c.fix}` : ''}`).join('\n');
    return ctx.result({ failed: exitCode(report) !== 0, checks: report.checks }, ctx.redact(text || 'every check was skipped'));
  },
};
