# The old let form: every binding sees the others, and `body` is the value.
let {
  gpu = "nvidia";
  drivers = [ gpu ];
  body = { videoDrivers = drivers; };
}
