# Extending first and binding the rec set later: the set stops being recursive, so `patch`
# is not in scope and Nix reports it as undefined.
{
  cuda.minor = 13;
  cuda = rec {
    major = patch + 12;
    patch = 0;
  };
}
