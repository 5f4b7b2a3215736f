#pragma once
// A complete response produced by a synchronous handler (static, redirect, respond, generated
// errors). The connection frames and writes it; bodies are either bytes or a file range that is
// sent with sendfile(2) on plain TCP.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "runtime/status/reason_phrase.hpp"

namespace flux::runtime::http {

// An open file descriptor, closed when the last owner lets go (the open-file cache and any
// number of responses still sending it can share one).
class OpenFile {
 public:
  explicit OpenFile(int fd) : fd_(fd) {}
  OpenFile(const OpenFile&) = delete;
  OpenFile& operator=(const OpenFile&) = delete;
  ~OpenFile();
  int fd() const { return fd_; }

 private:
  int fd_;
};

// The body range [offset, offset + length) of an open file. A small file may also come with
// its bytes already in memory (the open-file cache keeps them), so head and body leave in one
// write instead of a write plus sendfile.
class FileBody {
 public:
  FileBody() = default;
  FileBody(std::shared_ptr<const OpenFile> file, std::uint64_t offset, std::uint64_t length,
           std::shared_ptr<const std::string> content = nullptr)
      : file_(std::move(file)), content_(std::move(content)), offset_(offset), length_(length) {}

  bool present() const { return file_ != nullptr; }
  int fd() const { return file_->fd(); }
  std::uint64_t offset() const { return offset_; }
  std::uint64_t length() const { return length_; }
  // The body bytes when the whole file is in memory, else empty.
  std::string_view in_memory() const {
    return content_ ? std::string_view(*content_).substr(offset_, length_) : std::string_view();
  }
  bool has_memory() const { return content_ != nullptr; }

 private:
  std::shared_ptr<const OpenFile> file_;
  std::shared_ptr<const std::string> content_;
  std::uint64_t offset_ = 0;
  std::uint64_t length_ = 0;
};

struct Response {
  Response() { headers.reserve(12); }  // a typical response has 8 to 12 headers

  unsigned status = 200;
  std::vector<std::pair<std::string, std::string>> headers;  // never includes Content-Length
  std::string body;
  FileBody file;           // when present, the body is this file range instead of `body`
  bool omit_body = false;  // HEAD: Content-Length of the full body, no bytes
  bool close = false;      // answer with Connection: close and close afterwards

  void add(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
  }
  std::uint64_t body_length() const { return file.present() ? file.length() : body.size(); }
};

using status::reason_phrase;

// A gateway-generated error (php-behaviour.md §10): text/plain, "<code> <reason>\n" lowercase,
// Cache-Control: no-store.
Response generated_error(unsigned status);

// A short plain-text answer with the given body (php-behaviour.md §2 style).
Response plain_text(unsigned status, std::string body);

// Statuses that never carry a body (RFC 9110 §6.4.1, §15.3.5, §15.4.5).
inline bool status_has_no_body(unsigned status) {
  return status < 200 || status == 204 || status == 304;
}

}  // namespace flux::runtime::http
