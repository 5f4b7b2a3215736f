#pragma once
// The `fluxheim` subcommands (cli.md §6). main.cpp only parses arguments.

#include <string>

namespace flux::runtime::app {

// cli.md §6.1
inline constexpr int kExitOk = 0;
inline constexpr int kExitFatal = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitNoInput = 66;
inline constexpr int kExitOsErr = 71;
inline constexpr int kExitConfig = 78;

struct RunOptions {
  std::string snapshot_path;
  unsigned threads = 0;        // 0 = from the snapshot
  std::string log_level;       // "" = from the snapshot
};

struct VerifyOptions {
  std::string snapshot_path;
  bool host_checks = true;
  bool json = false;
};

int run_command(const RunOptions& options);
int verify_command(const VerifyOptions& options);

}  // namespace flux::runtime::app
