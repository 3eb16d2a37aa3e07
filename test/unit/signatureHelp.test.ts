import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parameters, signatureHelp } from '../../server/src/features/signatureHelp';
import { withCursor } from '../helpers';

async function help(marked: string): Promise<string | undefined> {
  const { doc, offset } = await withCursor(marked);
  const s = signatureHelp(doc, offset);
  return s && `${s.label} [${s.label.slice(...s.parameters[s.active])}]`;
}

test('signature help for builtins: which argument the cursor is at', async () => {
  assert.equal(await help('builtins.mapAttrs $0'), 'builtins.mapAttrs f set [f]');
  assert.equal(await help('builtins.mapAttrs (n: v: v) $0'), 'builtins.mapAttrs f set [set]');
  assert.equal(await help('builtins.mapAttrs (n: v: v$0) { }'), undefined, 'inside the lambda: no call of a known function there');
  assert.equal(await help('map (x: x) [ 1 $0 ]'), 'map f list [list]');
  assert.equal(await help('toString 1 $0'), undefined, 'past the last argument');
  assert.equal(await help('let map = x: x; in map $0'), undefined, 'a local name hides the builtin');
});

test('signature help for lib functions: lib.x, lib.strings.x, lib.types.x, with lib', async () => {
  assert.equal(await help('{ lib, ... }: { x = lib.mkIf true $0; }'), 'lib.mkIf condition value [value]');
  assert.equal(await help('{ lib, ... }: { x = lib.mkIf $0; }'), 'lib.mkIf condition value [condition]');
  assert.equal(await help('{ lib, ... }: lib.strings.hasPrefix "a" $0'), 'lib.strings.hasPrefix prefix string [string]');
  assert.equal(await help('{ lib, ... }: lib.types.listOf $0'), 'lib.types.listOf elementType [elementType]');
  assert.equal(await help('{ lib, ... }: with lib; optionals $0'), 'optionals condition list [condition]');
  assert.equal(await help('{ lib, ... }: lib.mapAttrs $0'), 'lib.mapAttrs f set [f]', 'lib re-exports builtins');
  assert.equal(await help('{ lib, pkgs, ... }: lib.mkPackageOption pkgs "ollama" $0'), 'lib.mkPackageOption pkgs name { default, example, … } [{ default, example, … }]');
  assert.equal(await help('{ lib, ... }: lib.noSuchThing $0'), undefined);
  assert.deepEqual(parameters('pkgs name { default, example }'), ['pkgs', 'name', '{ default, example }']);
});
