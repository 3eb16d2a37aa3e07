import { emptyInherit } from './emptyInherit';
import { pipeOperator } from './pipeOperator';
import { syntaxError } from './syntaxError';
import type { Rule } from './types';

/** Every diagnostic rule, in the order their findings are listed. */
export const RULES: readonly Rule[] = [syntaxError, emptyInherit, pipeOperator];
