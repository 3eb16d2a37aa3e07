''
  $HOME and $$ and $ alone
''
