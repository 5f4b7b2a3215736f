#include "runtime/log/logger.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>

namespace flux::runtime::log {
namespace {

constexpr std::size_t kFlushBytes = 16 * 1024;

void write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n <= 0) return;  // nowhere left to report a logging failure
    data.remove_prefix(static_cast<std::size_t>(n));
  }
}

void append_timestamp(std::string& out) {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  std::tm tm{};
  gmtime_r(&ts.tv_sec, &tm);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000);
  out += buf;
}

void append_value(std::string& out, const Field& f, bool json) {
  switch (f.kind) {
    case Field::Kind::kString:
      if (json) {
        append_json_string(out, f.str);
      } else {
        append_text_value(out, f.str);
      }
      return;
    case Field::Kind::kInt: out += std::to_string(f.i); return;
    case Field::Kind::kUint: out += std::to_string(f.u); return;
    case Field::Kind::kDouble: {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.6f", f.d);
      out += buf;
      return;
    }
    case Field::Kind::kBool: out += f.b ? "true" : "false"; return;
    case Field::Kind::kJson:
      if (json) {
        out.append(f.str);
      } else {
        append_text_value(out, f.str);
      }
      return;
  }
}

}  // namespace

bool parse_level(std::string_view s, Level* out) {
  static constexpr std::pair<std::string_view, Level> kLevels[] = {
      {"trace", Level::kTrace}, {"debug", Level::kDebug}, {"info", Level::kInfo},
      {"warn", Level::kWarn},   {"error", Level::kError}, {"off", Level::kOff}};
  for (const auto& [name, level] : kLevels) {
    if (s == name) {
      *out = level;
      return true;
    }
  }
  return false;
}

std::string_view level_name(Level level) {
  switch (level) {
    case Level::kTrace: return "trace";
    case Level::kDebug: return "debug";
    case Level::kInfo: return "info";
    case Level::kWarn: return "warn";
    case Level::kError: return "error";
    case Level::kOff: return "off";
  }
  return "info";
}

Logger::Logger() : flusher_([this] { flusher_loop(); }) {}

Logger::~Logger() {
  stop_.store(true);
  flusher_.join();
  flush();
  const int fd = fd_.load();
  if (fd > 2) ::close(fd);
}

void Logger::set_sink(int fd) {
  flush();
  const int old = fd_.exchange(fd);
  if (old > 2) ::close(old);
}

Logger::Buffer& Logger::thread_buffer() {
  thread_local Buffer* buffer = nullptr;
  thread_local const Logger* owner = nullptr;
  if (buffer == nullptr || owner != this) {
    std::lock_guard lock(buffers_mutex_);
    buffers_.push_back(std::make_unique<Buffer>());
    buffer = buffers_.back().get();
    owner = this;
  }
  return *buffer;
}

void Logger::render(std::string& out, std::string_view level, std::string_view msg,
                    const Field* begin, const Field* end) const {
  const bool json = format_.load(std::memory_order_relaxed) == Format::kJson;
  if (json) {
    out += "{\"ts\":\"";
    append_timestamp(out);
    out += "\"";
    if (!level.empty()) out.append(",\"level\":\"").append(level).append("\"");
    if (!msg.empty()) {
      out += ",\"msg\":";
      append_json_string(out, msg);
    }
    for (const Field* f = begin; f != end; ++f) {
      out.push_back(',');
      append_json_string(out, f->key);
      out.push_back(':');
      append_value(out, *f, true);
    }
    out += "}\n";
    return;
  }
  out += "ts=";
  append_timestamp(out);
  if (!level.empty()) out.append(" level=").append(level);
  if (!msg.empty()) {
    out += " msg=";
    append_text_value(out, msg);
  }
  for (const Field* f = begin; f != end; ++f) {
    out.push_back(' ');
    out.append(f->key).push_back('=');
    append_value(out, *f, false);
  }
  out.push_back('\n');
}

void Logger::emit(std::string_view line, bool urgent) {
  Buffer& b = thread_buffer();
  std::lock_guard lock(b.mutex);
  b.data.append(line);
  if (urgent || b.data.size() >= kFlushBytes) {
    write_all(fd_.load(std::memory_order_relaxed), b.data);
    b.data.clear();
  }
}

void Logger::log(Level level, std::string_view msg, std::initializer_list<Field> fields) {
  if (!enabled(level)) return;
  std::string line;
  render(line, level_name(level), msg, fields.begin(), fields.end());
  emit(line, level >= Level::kWarn);
}

void Logger::access(std::initializer_list<Field> fields) {
  std::string line;
  render(line, "", "", fields.begin(), fields.end());
  emit(line, false);
}

void Logger::access(const std::vector<Field>& fields) {
  std::string line;
  render(line, "", "", fields.data(), fields.data() + fields.size());
  emit(line, false);
}

void Logger::flush() {
  std::lock_guard lock(buffers_mutex_);
  for (auto& b : buffers_) {
    std::lock_guard inner(b->mutex);
    if (!b->data.empty()) {
      write_all(fd_.load(std::memory_order_relaxed), b->data);
      b->data.clear();
    }
  }
}

void Logger::flusher_loop() {
  while (!stop_.load()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    flush();
  }
}

Logger& logger() {
  static Logger instance;
  return instance;
}

}  // namespace flux::runtime::log
