#include "runtime/http/response_head.hpp"

#include <ctime>

#include "runtime/http/http_date.hpp"

namespace flux::runtime::http {

const std::string& current_http_date() {
  thread_local std::time_t cached_second = 0;
  thread_local std::string cached;
  const std::time_t now = std::time(nullptr);
  if (now != cached_second) {
    cached_second = now;
    cached = format_http_date(now);
  }
  return cached;
}

namespace {

// Appends the decimal digits of `v` (no locale, no allocation).
void append_uint(std::string& out, std::uint64_t v) {
  char digits[20];
  int n = 0;
  do {
    digits[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  while (n > 0) out.push_back(digits[--n]);
}

void append_line(std::string& out, std::string_view name, std::string_view value) {
  out.append(name).append(": ", 2).append(value).append("\r\n", 2);
}

}  // namespace

void serialize_head(const Response& response, const ResponseFraming& framing, std::string& out) {
  std::size_t need = 96 + current_http_date().size();
  for (const auto& [name, value] : response.headers) need += name.size() + value.size() + 4;
  out.reserve(out.size() + need);
  out.append("HTTP/1.1 ", 9);
  append_uint(out, response.status);
  out.push_back(' ');
  out.append(reason_phrase(response.status)).append("\r\nServer: fluxheim\r\nDate: ");
  out.append(current_http_date()).append("\r\n", 2);
  for (const auto& [name, value] : response.headers) append_line(out, name, value);
  // RFC 9110 §8.6: no Content-Length in 1xx/204; a 304 would repeat the 200's length, which we
  // do not know for every handler, so it is omitted there too.
  if (!status_has_no_body(response.status)) {
    if (framing.chunked) {
      out.append("Transfer-Encoding: chunked\r\n");
    } else if (framing.content_length) {
      out.append("Content-Length: ");
      append_uint(out, *framing.content_length);
      out.append("\r\n", 2);
    }
  }
  if (!framing.keep_alive) {
    out.append("Connection: close\r\n");
  } else if (framing.version == 10) {
    out.append("Connection: keep-alive\r\n");
  }
  out.append("\r\n", 2);
}

}  // namespace flux::runtime::http
