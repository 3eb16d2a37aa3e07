# SYNTAX TEST "source.nix" "keywords, operators, builtins, formals and attribute names"
{ lib, pkgs ? import <nixpkgs> { }, ... }@args:
# <- punctuation.definition.parameters.begin.nix
# ^^^ variable.parameter.function.nix
#      ^^^^ variable.parameter.function.nix
#           ^ keyword.operator.default.nix
#             ^^^^^^ support.function.builtin.nix
#                                   ^^^ keyword.operator.ellipsis.nix
#                                        ^ punctuation.separator.at.nix
#                                         ^^^^ variable.parameter.function.nix
let
# <- keyword.other.nix
  cfg = rec { x = if a then b else c; };
# ^^^ entity.other.attribute-name.nix
#       ^^^ keyword.other.nix
#                 ^^ keyword.control.conditional.nix
#                      ^^^^ keyword.control.conditional.nix
#                             ^^^^ keyword.control.conditional.nix
  my-let = with lib; assert true; x: x.y or null;
# ^^^^^^ entity.other.attribute-name.nix
#          ^^^^ keyword.other.nix
#                    ^^^^^^ keyword.other.nix
#                           ^^^^ constant.language.nix
#                                 ^ variable.parameter.function.nix
#                                        ^^ keyword.other.nix
#                                           ^^^^ constant.language.nix
  ops = a == b && c || !d -> e // f ++ g |> h;
#         ^^ keyword.operator.comparison.nix
#              ^^ keyword.operator.logical.nix
#                   ^^ keyword.operator.logical.nix
#                         ^^ keyword.operator.logical.nix
#                              ^^ keyword.operator.update.nix
#                                   ^^ keyword.operator.concat.nix
#                                        ^^ keyword.operator.pipe.nix
  hardware.nvidia."open" = true;
# ^^^^^^^^ entity.other.attribute-name.nix
#         ^ punctuation.accessor.nix
#          ^^^^^^ entity.other.attribute-name.nix
#                 ^^^^^^ string.quoted.double.nix
  inherit (lib) mkIf mkForce;
# ^^^^^^^ keyword.other.inherit.nix
#               ^^^^ entity.other.attribute-name.nix
  x = builtins.getEnv "HOME"; # a comment
#     ^^^^^^^^ support.function.builtin.nix
#              ^^^^^^ variable.other.property.nix
#                             ^^^^^^^^^^^ comment.line.number-sign.nix
  /* block */
# ^^^^^^^^^^^ comment.block.nix
in
# <- keyword.other.nix
{
  config,
# ^^^^^^ variable.parameter.function.nix
  cuda ? false,
# ^^^^ variable.parameter.function.nix
  ...
}:
cfg
