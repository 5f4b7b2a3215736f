#include "runtime/http/request_parser.hpp"

#include <algorithm>
#include <cstring>

namespace flux::runtime::http {

void RequestParser::on_request_impl(verb, bsv method, bsv target,
                                    int version, error_code& ec) {
  method_at_ = append(method);
  method_len_ = static_cast<std::uint32_t>(method.size());
  target_at_ = append(target);
  target_len_ = static_cast<std::uint32_t>(target.size());
  version_ = static_cast<unsigned>(version);
  ec = {};
}

void RequestParser::on_field_impl(field, bsv name, bsv value,
                                  error_code& ec) {
  ec = {};
  // Trailer fields of a chunked body arrive after the head: they are not forwarded anywhere
  // (RFC 9110 §6.5.1 lets a recipient discard them), and keeping the arena unchanged keeps
  // every header view stable.
  if (header_done_) return;
  const std::uint32_t name_at = append(name);
  const std::uint32_t value_at = append(value);
  arena_.fields.push_back({name_at, static_cast<std::uint32_t>(name.size()), value_at,
                           static_cast<std::uint32_t>(value.size())});
}

void RequestParser::headers(std::vector<Header>& out) const {
  out.clear();
  out.reserve(arena_.fields.size());
  for (const auto& f : arena_.fields) {
    out.push_back({view(f.name_at, f.name_len), view(f.value_at, f.value_len)});
  }
}

std::size_t RequestParser::take_body(std::string_view body, error_code& ec) {
  const std::size_t room = body_size_ - body_written_;
  if (room == 0) {
    ec = boost::beast::http::error::need_buffer;
    return 0;
  }
  const std::size_t n = std::min(room, body.size());
  std::memcpy(body_data_ + body_written_, body.data(), n);
  body_written_ += n;
  if (n < body.size()) {
    ec = boost::beast::http::error::need_buffer;
  } else {
    ec = {};
  }
  return n;
}

}  // namespace flux::runtime::http
