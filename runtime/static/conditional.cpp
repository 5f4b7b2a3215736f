#include "runtime/static/conditional.hpp"


#include "runtime/http/http_date.hpp"

namespace flux::runtime::statics {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string_view opaque(std::string_view tag) {
  if (tag.starts_with("W/")) tag.remove_prefix(2);
  return tag;
}

}  // namespace

std::string make_etag(std::uint64_t size, std::int64_t mtime_sec, std::int64_t mtime_nsec) {
  // "<mtime sec hex>.<mtime nsec hex>-<size hex>", built without snprintf (hot path).
  auto hex = [](std::string& out, std::uint64_t v) {
    char digits[16];
    int n = 0;
    do {
      digits[n++] = "0123456789abcdef"[v & 0xf];
      v >>= 4;
    } while (v != 0);
    while (n > 0) out.push_back(digits[--n]);
  };
  std::string tag;
  tag.reserve(40);
  tag.push_back('"');
  hex(tag, static_cast<std::uint64_t>(mtime_sec));
  tag.push_back('.');
  hex(tag, static_cast<std::uint64_t>(mtime_nsec));
  tag.push_back('-');
  hex(tag, size);
  tag.push_back('"');
  return tag;
}

bool if_none_match_matches(std::string_view header, std::string_view etag) {
  header = trim(header);
  if (header == "*") return true;
  while (!header.empty()) {
    const auto comma = header.find(',');
    const std::string_view tag = trim(header.substr(0, comma));
    if (!tag.empty() && opaque(tag) == opaque(etag)) return true;
    if (comma == std::string_view::npos) break;
    header.remove_prefix(comma + 1);
  }
  return false;
}

bool if_range_allows(std::string_view header, std::string_view etag, std::time_t mtime) {
  header = trim(header);
  if (header.starts_with('"')) return header == etag;
  if (header.starts_with("W/")) return false;  // weak validators never satisfy If-Range
  const auto date = http::parse_http_date(header);
  return date && *date == mtime;
}

}  // namespace flux::runtime::statics
