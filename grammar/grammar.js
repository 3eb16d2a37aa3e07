// nix-ai's Nix grammar: the tree-sitter-nix grammar from npm, extended where it lags behind
// the language that current Nix accepts. Generated and compiled at build time by
// scripts/build-grammar.mjs; neither the base grammar nor anything built from it is committed.
//
// What we change, and why:
// - formals: a trailing comma after the last formal (`{ lib, pkgs, }:`), the style nixfmt writes.
// - inherit: an empty `inherit ;` / `inherit (x) ;` is valid Nix.
// - pipe operators `|>` and `<|` (Nix >= 2.24, experimental feature `pipe-operators`). As in
//   Nix's own grammar they sit between `if` and the other operators: their operands are plain
//   operator expressions, `|>` chains to the left, `<|` to the right, and the two cannot be mixed
//   without parentheses.
// - `~/${x}`: a home path may start with an interpolation right after `~/`.
// - a `#` comment ends at a carriage return as well as a line feed, as in Nix's lexer: in a
//   file with old Mac line ends (`# note\ry = 1;`) the text after the `\r` is code.
//
// Differences in the other direction (the grammar accepts what Nix rejects: keywords after `.`,
// trailing slashes in paths, integer overflow, chained comparisons, ...) are checked after
// parsing, in server/src/parse/syntaxChecks.ts.

const base = require('tree-sitter-nix/grammar');

function commaSep1(rule) {
  return seq(rule, repeat(seq(',', rule)));
}

module.exports = grammar(base, {
  name: 'nix',

  rules: {
    formals: $ => choice(
      seq('{', '}'),
      seq('{', commaSep1(field('formal', $.formal)), optional(','), '}'),
      seq('{', commaSep1(field('formal', $.formal)), ',', field('ellipses', $.ellipses), '}'),
      seq('{', field('ellipses', $.ellipses), '}'),
    ),

    inherit: $ => seq('inherit', optional(field('attrs', $.inherited_attrs)), ';'),
    inherit_from: $ => seq(
      'inherit', '(', field('expression', $._expression), ')',
      optional(field('attrs', $.inherited_attrs)), ';',
    ),

    _expr_if: $ => choice(
      $.if_expression,
      alias($.pipe_into_expression, $.binary_expression),
      alias($.pipe_from_expression, $.binary_expression),
      $._expr_op,
    ),

    pipe_into_expression: $ => seq(
      field('left', choice(alias($.pipe_into_expression, $.binary_expression), $._expr_op)),
      field('operator', '|>'),
      field('right', $._expr_op),
    ),

    pipe_from_expression: $ => seq(
      field('left', $._expr_op),
      field('operator', '<|'),
      field('right', choice(alias($.pipe_from_expression, $.binary_expression), $._expr_op)),
    ),

    _hpath_start: $ => /\~\/[a-zA-Z0-9\._\-\+\/]*/,

    comment: $ => token(choice(
      seq('#', /[^\r\n]*/),
      seq('/*', /[^*]*\*+([^/*][^*]*\*+)*/, '/'),
    )),
  },
});
