let x = 1; in ''
  literal ''${x} here
  triple ''' quotes
  escaped ''\n newline
  interp ${toString x}
''
