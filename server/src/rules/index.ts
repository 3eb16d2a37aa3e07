import { emptyInherit } from './emptyInherit';
import { impureAbsolutePath } from './impureAbsolutePath';
import { impureCurrentSystem } from './impureCurrentSystem';
import { impureCurrentTime } from './impureCurrentTime';
import { impureEnv } from './impureEnv';
import { impureExec } from './impureExec';
import { impureLookupPath } from './impureLookupPath';
import { impureStorePath } from './impureStorePath';
import { pipeOperator } from './pipeOperator';
import { syntaxError } from './syntaxError';
import type { Rule } from './types';
import { unpinnedFetch } from './unpinnedFetch';

/** Every diagnostic rule, in the order their findings are listed. */
export const RULES: readonly Rule[] = [
  syntaxError, pipeOperator,
  impureEnv, impureCurrentSystem, impureCurrentTime, impureLookupPath, impureStorePath, unpinnedFetch, impureAbsolutePath, impureExec,
  emptyInherit,
];
