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

void serialize_head(const Response& response, const ResponseFraming& framing, std::string& out) {
  out.append("HTTP/1.1 ").append(std::to_string(response.status)).push_back(' ');
  out.append(reason_phrase(response.status)).append("\r\nServer: fluxheim\r\nDate: ");
  out.append(current_http_date()).append("\r\n");
  for (const auto& [name, value] : response.headers) {
    out.append(name).append(": ").append(value).append("\r\n");
  }
  // RFC 9110 §8.6: no Content-Length in 1xx/204; a 304 would repeat the 200's length, which we
  // do not know for every handler, so it is omitted there too.
  if (!status_has_no_body(response.status)) {
    if (framing.chunked) {
      out.append("Transfer-Encoding: chunked\r\n");
    } else if (framing.content_length) {
      out.append("Content-Length: ").append(std::to_string(*framing.content_length)).append("\r\n");
    }
  }
  if (!framing.keep_alive) {
    out.append("Connection: close\r\n");
  } else if (framing.version == 10) {
    out.append("Connection: keep-alive\r\n");
  }
  out.append("\r\n");
}

}  // namespace flux::runtime::http
