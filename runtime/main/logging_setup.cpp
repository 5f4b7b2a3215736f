#include "runtime/main/logging_setup.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "runtime/log/logger.hpp"
#include "snapshot/fxs_generated.h"

namespace flux::runtime::app {

Result<void> configure_logging(const fxs::Config& cfg, const std::string& level_override) {
  log::Logger& logger = log::logger();
  const auto* logging = cfg.logging();
  log::Level level = log::Level::kInfo;
  std::string level_name = level_override;
  if (level_name.empty() && logging && logging->level()) level_name = logging->level()->str();
  if (!level_name.empty()) log::parse_level(level_name, &level);
  logger.set_level(level);
  const bool text = logging && logging->format() && logging->format()->string_view() == "text";
  logger.set_format(text ? log::Format::kText : log::Format::kJson);

  std::string file;
  bool append = true;
  if (const auto* process = cfg.server()->process(); process && process->error_log() &&
                                                     process->error_log()->size() != 0) {
    file = process->error_log()->str();
  } else if (logging && logging->file() && logging->file()->enabled() && logging->file()->path()) {
    file = logging->file()->path()->str();
    append = logging->file()->append();
  }
  if (!file.empty()) {
    const int flags = O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW | (append ? O_APPEND : O_TRUNC);
    const int fd = ::open(file.c_str(), flags, 0640);
    if (fd < 0) return make_error("cannot open log file " + file + ": " + std::strerror(errno));
    logger.set_sink(fd);
  } else if (logging && logging->target() && logging->target()->string_view() == "stdout") {
    logger.set_sink(1);
  }
  return {};
}

}  // namespace flux::runtime::app
