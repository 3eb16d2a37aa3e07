# A rec set bound first and extended later: Nix evaluates the later value in the rec scope too.
{
  cuda = rec {
    major = minor - 1;
    patch = 0;
  };
  cuda.minor = patch + 13;
}
