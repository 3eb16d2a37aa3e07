# SYNTAX TEST "source.nix" "strings, indented strings, interpolation and escapes"
  a = "x ${b + "in ${c}"} \${d} \n";
# ^ entity.other.attribute-name.nix
#     ^ string.quoted.double.nix punctuation.definition.string.begin.nix
#        ^^ string.quoted.double.nix meta.embedded.interpolation.nix punctuation.section.embedded.begin.nix
#          ^ string.quoted.double.nix meta.embedded.interpolation.nix variable.other.nix
#                  ^^ meta.embedded.interpolation.nix string.quoted.double.nix meta.embedded.interpolation.nix punctuation.section.embedded.begin.nix
#                       ^ string.quoted.double.nix meta.embedded.interpolation.nix punctuation.section.embedded.end.nix
#                         ^^ string.quoted.double.nix constant.character.escape.nix
#                            ^ string.quoted.double.nix - meta.embedded
#                               ^^ string.quoted.double.nix constant.character.escape.nix
#                                 ^ punctuation.definition.string.end.nix
  s = ''
    echo ''${notInterpolated} ''' ''\n ${pkgs.hello}/bin
#        ^^^ string.quoted.other.indented.nix constant.character.escape.nix
#           ^ string.quoted.other.indented.nix - meta.embedded
#                             ^^^ constant.character.escape.nix
#                                 ^^^ constant.character.escape.nix
#                                      ^^ meta.embedded.interpolation.nix punctuation.section.embedded.begin.nix
#                                             ^^^^^ meta.embedded.interpolation.nix variable.other.property.nix
  '';
# ^^ string.quoted.other.indented.nix punctuation.definition.string.end.nix
#   ^ punctuation.terminator.bind.nix
