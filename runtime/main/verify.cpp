#include <cstdio>

#include "runtime/main/commands.hpp"
#include "runtime/main/host_checks.hpp"
#include "runtime/snapshot/loaded_snapshot.hpp"

namespace flux::runtime::app {

int verify_command(const VerifyOptions& options) {
  LoadError error;
  auto loaded = load_snapshot(options.snapshot_path, error);
  if (loaded && options.host_checks) {
    if (auto checked = run_host_checks(loaded->root()); !checked) {
      error = {LoadFailure::kInvalid, checked.error().message};
      loaded = nullptr;
    }
  }
  if (!loaded) {
    if (options.json) {
      std::printf("{\"valid\":false,\"error\":\"%s\"}\n", json_escape(error.message).c_str());
    } else {
      std::fprintf(stderr, "fluxheim: %s: %s\n", options.snapshot_path.c_str(), error.message.c_str());
    }
    return error.kind == LoadFailure::kNoInput ? kExitNoInput : kExitConfig;
  }
  if (options.json) {
    std::printf("{\"valid\":true,\"sha256\":\"%s\",\"format\":\"%u.%u\"}\n", loaded->hash().c_str(),
                loaded->verified.header.major, loaded->verified.header.minor);
  } else {
    std::printf("ok %s\n", loaded->hash().c_str());
  }
  return kExitOk;
}

}  // namespace flux::runtime::app
