#pragma once
// Host preconditions checked by `fluxheim run` (always) and `fluxheim verify` (unless
// --no-host-checks), cli.md §1.2 and §6.1: failures exit 78.

#include <string>
#include <string_view>

#include "snapshot/result.hpp"

namespace flux::fxs {
struct Snapshot;
}

namespace flux::runtime::app {

Result<void> run_host_checks(const fxs::Snapshot& snapshot);

std::string json_escape(std::string_view s);

}  // namespace flux::runtime::app
