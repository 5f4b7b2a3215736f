#pragma once
// Internal to runtime/http (includes Beast): a request parser on Beast's basic_parser that keeps
// the request line and fields in one connection-owned arena instead of Beast's basic_fields
// (which allocates a node per field and keeps a tree of them). The body goes straight into the
// caller's buffer, like buffer_body.

#include <boost/beast/http/basic_parser.hpp>
#include <boost/beast/http/error.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/http/request.hpp"

namespace flux::runtime::http {

// Storage reused by every request of a connection (cleared, capacity kept).
struct RequestArena {
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

class RequestParser final : public boost::beast::http::basic_parser<true> {
 public:
  explicit RequestParser(RequestArena& arena) : arena_(arena) { arena_.clear(); }

  std::string_view method() const { return view(method_at_, method_len_); }
  std::string_view target() const { return view(target_at_, target_len_); }
  unsigned version() const { return version_; }
  // Valid once the header is complete; the arena does not change after that.
  void headers(std::vector<Header>& out) const;

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
  std::size_t take_body(std::string_view body, error_code& ec);

  void on_request_impl(verb, bsv method, bsv target, int version,
                       error_code& ec) override;
  void on_response_impl(int, bsv, int, error_code& ec) override { ec = {}; }
  void on_field_impl(field, bsv name, bsv value, error_code& ec) override;
  void on_header_impl(error_code& ec) override {
    header_done_ = true;
    ec = {};
  }
  void on_body_init_impl(const boost::optional<std::uint64_t>&, error_code& ec) override { ec = {}; }
  std::size_t on_body_impl(bsv body, error_code& ec) override {
    return take_body(std::string_view(body.data(), body.size()), ec);
  }
  void on_chunk_header_impl(std::uint64_t, bsv, error_code& ec) override { ec = {}; }
  std::size_t on_chunk_body_impl(std::uint64_t, bsv body, error_code& ec) override {
    return take_body(std::string_view(body.data(), body.size()), ec);
  }
  void on_finish_impl(error_code& ec) override { ec = {}; }

  RequestArena& arena_;
  std::uint32_t method_at_ = 0, method_len_ = 0, target_at_ = 0, target_len_ = 0;
  unsigned version_ = 11;
  bool header_done_ = false;
  char* body_data_ = nullptr;
  std::size_t body_size_ = 0;
  std::size_t body_written_ = 0;
};

}  // namespace flux::runtime::http
