#include <cstdint>
#include <string>
#include <string_view>

#include "runtime/log/logger.hpp"
#include "snapshot/utf8.hpp"

namespace flux::runtime::log {
namespace {

using snapshot::utf8_sequence_length;

constexpr char kHex[] = "0123456789abcdef";

}  // namespace

void append_json_string(std::string& out, std::string_view s) {
  out.push_back('"');
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(c));
      ++i;
    } else if (c < 0x20 || c == 0x7f) {
      out += "\\u00";
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xf]);
      ++i;
    } else if (const std::size_t len = utf8_sequence_length(s, i); len == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(s.substr(i, len));
      i += len;
    }
  }
  out.push_back('"');
}

void append_text_value(std::string& out, std::string_view s) {
  bool quote = s.empty();
  for (char c : s) quote = quote || c == ' ' || c == '"' || c == '=';
  if (quote) out.push_back('"');
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7f || c == '\\' || (quote && c == '"')) {
      if (c == '\\' || c == '"') {
        out.push_back('\\');
        out.push_back(static_cast<char>(c));
      } else {
        out += "\\x";
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 0xf]);
      }
      ++i;
    } else if (const std::size_t len = utf8_sequence_length(s, i); len == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(s.substr(i, len));
      i += len;
    }
  }
  if (quote) out.push_back('"');
}

}  // namespace flux::runtime::log
