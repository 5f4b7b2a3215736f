#include "runtime/php/response_parser.hpp"

#include <algorithm>
#include <optional>

#include "runtime/php/text.hpp"

namespace flux::runtime::php {
namespace {

constexpr std::uint16_t kEarlyHints = 103;

// §9.1 step 4: SP, HTAB and visible ASCII only (no obs-text, no bare CR).
bool is_safe_value_byte(char c) {
  const auto u = static_cast<unsigned char>(c);
  return c == ' ' || c == '\t' || (u >= 0x21 && u <= 0x7e);
}

// §9.1 step 5: the first space-separated token must be a 3-digit number 100..=599.
ResponseError parse_status(std::string_view value, std::uint16_t& status) {
  if (value.empty()) return ResponseError::kEmptyStatus;
  const std::string_view code = value.substr(0, value.find(' '));
  if (code.size() != 3 ||
      !std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return ResponseError::kStatusOutOfRange;
  }
  const int n = (code[0] - '0') * 100 + (code[1] - '0') * 10 + (code[2] - '0');
  if (n < 100 || n > 599) return ResponseError::kStatusOutOfRange;
  status = static_cast<std::uint16_t>(n);
  return ResponseError::kNone;
}

struct HeaderBlock {
  std::string_view headers;
  std::string_view body;
  bool found = false;
};

// §9.1 step 1: the first "\r\n\r\n", else the first "\n\n".
HeaderBlock split_head(std::string_view out) {
  for (std::string_view term : {std::string_view("\r\n\r\n"), std::string_view("\n\n")}) {
    const std::size_t at = out.find(term);
    if (at != std::string_view::npos) {
      return {out.substr(0, at), out.substr(at + term.size()), true};
    }
  }
  return {};
}

struct LineState {
  std::optional<std::uint16_t> status;
  bool has_location = false;
};

ResponseError parse_line(std::string_view line, LineState& st, ParsedResponse& r) {
  const std::size_t colon = line.find(':');
  if (colon == std::string_view::npos) return ResponseError::kMalformedHeader;
  const std::string_view name = trim_ows(line.substr(0, colon));
  const std::string_view value = trim_ows(line.substr(colon + 1));
  if (!is_token(name)) return ResponseError::kMalformedHeader;
  if (!std::all_of(value.begin(), value.end(), is_safe_value_byte)) {
    return ResponseError::kUnsafeBytes;
  }
  if (iequals(name, "status")) {
    std::uint16_t code = 0;
    if (ResponseError e = parse_status(value, code); e != ResponseError::kNone) return e;
    if (code == kEarlyHints) return ResponseError::kNone;  // §9.1 step 6: dropped
    if (code < 200) return ResponseError::kInformationalStatus;
    st.status = code;  // the last Status wins
    return ResponseError::kNone;
  }
  if (iequals(name, "location")) st.has_location = true;
  r.headers.push_back({std::string(name), std::string(value)});
  return ResponseError::kNone;
}

}  // namespace

std::string_view to_string(ResponseError e) {
  switch (e) {
    case ResponseError::kNone:
      return "no error";
    case ResponseError::kMissingTerminator:
      return "php-fpm response is missing header terminator";
    case ResponseError::kHeadersTooLarge:
      return "php-fpm response headers exceed max_response_header_bytes";
    case ResponseError::kMalformedHeader:
      return "php-fpm response header is malformed";
    case ResponseError::kUnsafeBytes:
      return "php-fpm response header contains unsafe bytes";
    case ResponseError::kStatusOutOfRange:
      return "PHP Status header is outside HTTP status range";
    case ResponseError::kEmptyStatus:
      return "empty PHP Status header";
    case ResponseError::kInformationalStatus:
      return "PHP Status header is an unsupported 1xx status";
  }
  return "invalid php-fpm response";
}

ResponseParse parse_response(std::string_view stdout_bytes, std::size_t max_header_bytes) {
  ResponseParse result;
  const HeaderBlock head = split_head(stdout_bytes);
  if (!head.found) {
    result.error = ResponseError::kMissingTerminator;
    return result;
  }
  if (head.headers.size() > max_header_bytes) {
    result.error = ResponseError::kHeadersTooLarge;
    return result;
  }
  LineState st;
  std::string_view rest = head.headers;
  while (!rest.empty()) {
    const std::size_t nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    rest.remove_prefix(nl == std::string_view::npos ? rest.size() : nl + 1);
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (line.empty()) continue;
    result.error = parse_line(line, st, result.response);
    if (!result.ok()) return result;
  }
  // CGI rule (RFC 3875 §6.2.3): a Location without Status is a redirect.
  result.response.status = st.status ? *st.status : (st.has_location ? 302 : 200);
  result.response.body = head.body;
  return result;
}

}  // namespace flux::runtime::php
