# leading
/* block */ { # after brace
  a /* in path */ = /* before value */ 1; # trailing
  /* multi
     line */
  b = [ # in list
    1 /* between */ 2
  ];
} # end
