# Builtins that are also plain names can be inherited.
{
  inherit null true map;
}
