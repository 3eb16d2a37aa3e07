{ lib, xs, }:
{
  names = xs |> map (x: x.name) |> lib.unique;
}
