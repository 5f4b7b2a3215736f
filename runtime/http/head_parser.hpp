#pragma once
// HTTP/1.1 message heads parsed with Beast's basic_parser into one connection-owned arena,
// instead of Beast's basic_fields (a heap node per field plus a tree of them). Used for the
// downstream request (connection.cpp) and upstream responses (runtime/proxy). The body goes
// straight into the caller's buffer, like buffer_body. Only Beast translation units include
// this header.

#include <boost/beast/http/basic_parser.hpp>
#include <boost/beast/http/error.hpp>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/http/request.hpp"

namespace flux::runtime::http {

// Storage reused by every message of a connection (cleared, capacity kept).
struct HeadArena {
  std::string bytes;
  struct Span {
    std::uint32_t name_at, name_len, value_at, value_len;
  };
  std::vector<Span> fields;
  void clear() {
    bytes.clear();
    fields.clear();
  }
};

template <bool isRequest>
class HeadParser final : public boost::beast::http::basic_parser<isRequest> {
 public:
  explicit HeadParser(HeadArena& arena) : arena_(arena) { arena_.clear(); }

  // Request line (requests) or status line (responses).
  std::string_view method() const { return view(method_at_, method_len_); }
  std::string_view target() const { return view(target_at_, target_len_); }
  unsigned status() const { return status_; }
  unsigned version() const { return version_; }
  // The fields in arrival order; valid once the head is complete (the arena does not change
  // after that).
  void headers(std::vector<Header>& out) const {
    out.clear();
    out.reserve(arena_.fields.size());
    for (const auto& f : arena_.fields) {
      out.push_back({view(f.name_at, f.name_len), view(f.value_at, f.value_len)});
    }
  }

  // The next body bytes go to [data, data + size); body_written() says how many arrived.
  void set_body_buffer(char* data, std::size_t size) {
    body_data_ = data;
    body_size_ = size;
    body_written_ = 0;
  }
  std::size_t body_written() const { return body_written_; }

 private:
  using error_code = boost::beast::error_code;
  using field = boost::beast::http::field;
  using verb = boost::beast::http::verb;
  using bsv = boost::beast::string_view;  // Beast's own string_view type in its interface

  std::string_view view(std::uint32_t at, std::uint32_t len) const {
    return std::string_view(arena_.bytes).substr(at, len);
  }
  std::uint32_t append(bsv s) {
    const auto at = static_cast<std::uint32_t>(arena_.bytes.size());
    arena_.bytes.append(s.data(), s.size());
    return at;
  }
  std::size_t take_body(bsv body, error_code& ec) {
    const std::size_t room = body_size_ - body_written_;
    const std::size_t n = std::min(room, body.size());
    if (n != 0) std::memcpy(body_data_ + body_written_, body.data(), n);
    body_written_ += n;
    ec = n < body.size() ? error_code(boost::beast::http::error::need_buffer) : error_code();
    return n;
  }

  void on_request_impl(verb, bsv method, bsv target, int version, error_code& ec) override {
    method_at_ = append(method);
    method_len_ = static_cast<std::uint32_t>(method.size());
    target_at_ = append(target);
    target_len_ = static_cast<std::uint32_t>(target.size());
    version_ = static_cast<unsigned>(version);
    ec = {};
  }
  void on_response_impl(int code, bsv, int version, error_code& ec) override {
    status_ = static_cast<unsigned>(code);
    version_ = static_cast<unsigned>(version);
    ec = {};
  }
  void on_field_impl(field, bsv name, bsv value, error_code& ec) override {
    ec = {};
    // Trailer fields of a chunked body arrive after the head: they are not forwarded (RFC 9110
    // §6.5.1 lets a recipient discard them), and leaving the arena alone keeps every header
    // view stable.
    if (header_done_) return;
    const std::uint32_t name_at = append(name);
    const std::uint32_t value_at = append(value);
    arena_.fields.push_back({name_at, static_cast<std::uint32_t>(name.size()), value_at,
                             static_cast<std::uint32_t>(value.size())});
  }
  void on_header_impl(error_code& ec) override {
    header_done_ = true;
    ec = {};
  }
  void on_body_init_impl(const boost::optional<std::uint64_t>&, error_code& ec) override { ec = {}; }
  std::size_t on_body_impl(bsv body, error_code& ec) override { return take_body(body, ec); }
  void on_chunk_header_impl(std::uint64_t, bsv, error_code& ec) override { ec = {}; }
  std::size_t on_chunk_body_impl(std::uint64_t, bsv body, error_code& ec) override {
    return take_body(body, ec);
  }
  void on_finish_impl(error_code& ec) override { ec = {}; }

  HeadArena& arena_;
  std::uint32_t method_at_ = 0, method_len_ = 0, target_at_ = 0, target_len_ = 0;
  unsigned status_ = 0;
  unsigned version_ = 11;
  bool header_done_ = false;
  char* body_data_ = nullptr;
  std::size_t body_size_ = 0;
  std::size_t body_written_ = 0;
};

using RequestParser = HeadParser<true>;
using ResponseParser = HeadParser<false>;

}  // namespace flux::runtime::http
