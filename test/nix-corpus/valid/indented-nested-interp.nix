let a = "v"; in ''
  echo ${"nested ${a} value"}
  ${''
    inner ${a}
  ''}
''
