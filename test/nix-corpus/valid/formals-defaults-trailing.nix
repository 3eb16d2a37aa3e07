{
  system ? "x86_64-linux",
  cudaSupport ? false,
  extra ? { },
}:
{ inherit system cudaSupport extra; }
