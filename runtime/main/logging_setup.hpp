#pragma once
// Configures the process logger from [logging] and server.process.error_log.

#include <string>

#include "snapshot/result.hpp"

namespace flux::fxs {
struct Config;
}

namespace flux::runtime::app {

// `level_override` is the --log-level flag ("" = use logging.level).
Result<void> configure_logging(const fxs::Config& cfg, const std::string& level_override);

}  // namespace flux::runtime::app
