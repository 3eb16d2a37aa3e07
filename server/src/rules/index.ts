import { containerToolkitNoDriver } from './containerToolkitNoDriver';
import { cudaUnfree } from './cudaUnfree';
import { deprecatedOption } from './deprecatedOption';
import { duplicateKey } from './duplicateKey';
import { emptyInherit } from './emptyInherit';
import { emptyLet } from './emptyLet';
import { fileTooLarge } from './fileTooLarge';
import { impureAbsolutePath } from './impureAbsolutePath';
import { impureCurrentSystem } from './impureCurrentSystem';
import { impureCurrentTime } from './impureCurrentTime';
import { impureEnv } from './impureEnv';
import { impureExec } from './impureExec';
import { impureLookupPath } from './impureLookupPath';
import { impureStorePath } from './impureStorePath';
import { insecurePermitted } from './insecurePermitted';
import { moduleClosedArgs } from './moduleClosedArgs';
import { nvidiaDatacenterX11 } from './nvidiaDatacenterX11';
import { nvidiaGraphicsDisabled } from './nvidiaGraphicsDisabled';
import { nvidiaOpenUnset } from './nvidiaOpenUnset';
import { optionType } from './optionType';
import { pipeOperator } from './pipeOperator';
import { portConflict } from './portConflict';
import { primeBusIdFormat } from './primeBusIdFormat';
import { primeBusIdMissing } from './primeBusIdMissing';
import { primeModeConflict } from './primeModeConflict';
import { removedOption } from './removedOption';
import { removedPackage } from './removedPackage';
import { secretInStore } from './secretInStore';
import { staleInput } from './staleInput';
import { syntaxError } from './syntaxError';
import type { Rule } from './types';
import { undefinedName } from './undefinedName';
import { unknownOption } from './unknownOption';
import { unpinnedFetch } from './unpinnedFetch';
import { unusedBinding } from './unusedBinding';
import { unusedRec } from './unusedRec';
import { unusedWith } from './unusedWith';

/** Every diagnostic rule, in the order their findings are listed. */
export const RULES: readonly Rule[] = [
  syntaxError, fileTooLarge, duplicateKey, pipeOperator,
  impureEnv, impureCurrentSystem, impureCurrentTime, impureLookupPath, impureStorePath, unpinnedFetch, impureAbsolutePath, impureExec, secretInStore, insecurePermitted, staleInput,
  nvidiaOpenUnset, nvidiaGraphicsDisabled, primeBusIdMissing, primeBusIdFormat, primeModeConflict, nvidiaDatacenterX11,
  containerToolkitNoDriver, cudaUnfree, deprecatedOption, removedOption, removedPackage, unknownOption, optionType, portConflict,
  moduleClosedArgs, undefinedName, unusedBinding, unusedWith, unusedRec, emptyLet, emptyInherit,
];
