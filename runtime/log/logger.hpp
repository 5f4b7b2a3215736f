#pragma once
// The error log and the access log ([logging], config-reference.md §2). One line per event,
// JSON or key=value text. Every value is escaped, so bytes from requests (paths, headers,
// php-fpm STDERR) can never inject a raw control character or a fake line.
//
// Lines are collected in per-thread buffers and written with one write(2) per batch: at 16KiB,
// every 100 ms by a flusher thread, and at shutdown. Error and warning lines are flushed at once.

#include <atomic>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace flux::runtime::log {

enum class Level { kTrace, kDebug, kInfo, kWarn, kError, kOff };
enum class Format { kJson, kText };

bool parse_level(std::string_view s, Level* out);
std::string_view level_name(Level level);

struct Field {
  enum class Kind { kString, kInt, kUint, kDouble, kBool, kJson };
  Field(std::string_view k, std::string_view v) : key(k), kind(Kind::kString), str(v) {}
  Field(std::string_view k, const std::string& v) : key(k), kind(Kind::kString), str(v) {}
  Field(std::string_view k, const char* v) : key(k), kind(Kind::kString), str(v) {}
  Field(std::string_view k, std::int64_t v) : key(k), kind(Kind::kInt), i(v) {}
  Field(std::string_view k, int v) : key(k), kind(Kind::kInt), i(v) {}
  Field(std::string_view k, std::uint64_t v) : key(k), kind(Kind::kUint), u(v) {}
  Field(std::string_view k, unsigned v) : key(k), kind(Kind::kUint), u(v) {}
  Field(std::string_view k, double v) : key(k), kind(Kind::kDouble), d(v) {}
  Field(std::string_view k, bool v) : key(k), kind(Kind::kBool), b(v) {}
  // A value that is already a JSON document (an array of keys, say); written as-is in JSON
  // lines and as an escaped string in text lines. Only for values we produced ourselves.
  static Field json(std::string_view k, std::string_view v) {
    Field f(k, v);
    f.kind = Kind::kJson;
    return f;
  }

  std::string_view key;
  Kind kind;
  std::string_view str;
  std::int64_t i = 0;
  std::uint64_t u = 0;
  double d = 0;
  bool b = false;
};

class Logger {
 public:
  Logger();
  ~Logger();
  Logger(const Logger&) = delete;
  Logger& operator=(const Logger&) = delete;

  // Safe to call while other threads log (reload changes level and format).
  void set_level(Level level) { level_.store(level, std::memory_order_relaxed); }
  void set_format(Format format) { format_.store(format, std::memory_order_relaxed); }
  // Takes ownership of `fd` unless it is 1 or 2.
  void set_sink(int fd);

  bool enabled(Level level) const {
    return level >= level_.load(std::memory_order_relaxed) && level != Level::kOff;
  }
  void log(Level level, std::string_view msg, std::initializer_list<Field> fields = {});
  // Access-log lines are written regardless of `level` (they have their own switch).
  void access(std::initializer_list<Field> fields);
  void access(const std::vector<Field>& fields);

  void flush();

 private:
  struct Buffer {
    std::mutex mutex;
    std::string data;
  };
  Buffer& thread_buffer();
  void emit(std::string_view line, bool urgent);
  void render(std::string& out, std::string_view level, std::string_view msg, const Field* begin,
              const Field* end) const;
  void flusher_loop();

  std::atomic<Level> level_{Level::kInfo};
  std::atomic<Format> format_{Format::kJson};
  std::atomic<int> fd_{2};
  std::mutex buffers_mutex_;
  std::vector<std::unique_ptr<Buffer>> buffers_;
  std::atomic<bool> stop_{false};
  std::thread flusher_;
};

// JSON string escaping (RFC 8259 §7) with invalid UTF-8 replaced by U+FFFD.
void append_json_string(std::string& out, std::string_view s);
// Text-format escaping: control bytes as \xNN, invalid UTF-8 as U+FFFD; quoted when needed.
void append_text_value(std::string& out, std::string_view s);

// The process-wide logger (configured from the snapshot by main).
Logger& logger();

}  // namespace flux::runtime::log
