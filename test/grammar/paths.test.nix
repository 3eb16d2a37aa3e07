# SYNTAX TEST "source.nix" "paths, search paths, URIs and numbers"
  imports = [ ./hardware.nix ../common/${host}.nix ~/x /etc/nixos <nixpkgs/nixos> ];
#             ^^^^^^^^^^^^^^ string.unquoted.path.nix
#                            ^^^^^^^^^^ string.unquoted.path.nix
#                                      ^^ string.unquoted.path.nix meta.embedded.interpolation.nix punctuation.section.embedded.begin.nix
#                                        ^^^^ string.unquoted.path.nix meta.embedded.interpolation.nix variable.other.nix
#                                             ^^^^ string.unquoted.path.nix
#                                                  ^^^ string.unquoted.path.nix
#                                                      ^^^^^^^^^^ string.unquoted.path.nix
#                                                                 ^^^^^^^^^^^^^^^ string.unquoted.path.search.nix
  url = https://example.org/a.tar.gz;
#       ^^^^^^^^^^^^^^^^^^^^^^^^^^^^ string.unquoted.uri.nix
  n = [ 1 2.5 .5 1e3 ];
#       ^ constant.numeric.nix
#         ^^^ constant.numeric.nix
#             ^^ constant.numeric.nix
#                ^^^ constant.numeric.nix
  q = a / b;
#       ^ keyword.operator.arithmetic.nix
