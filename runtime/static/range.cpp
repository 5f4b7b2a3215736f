#include "runtime/static/range.hpp"

#include <optional>

namespace flux::runtime::statics {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::optional<std::uint64_t> parse_u64(std::string_view s) {
  if (s.empty() || s.size() > 19) return std::nullopt;
  std::uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return v;
}

}  // namespace

ByteRange parse_range(std::string_view header, std::uint64_t size) {
  header = trim(header);
  if (!header.starts_with("bytes=")) return {};
  const std::string_view spec = trim(header.substr(6));
  if (spec.find(',') != std::string_view::npos) return {};
  const auto dash = spec.find('-');
  if (dash == std::string_view::npos) return {};
  const std::string_view a = trim(spec.substr(0, dash));
  const std::string_view b = trim(spec.substr(dash + 1));
  ByteRange r;
  if (a.empty()) {  // suffix range "-N": the last N bytes
    const auto n = parse_u64(b);
    if (!n) return {};
    if (*n == 0 || size == 0) return {ByteRange::Kind::kUnsatisfiable, 0, 0};
    r.length = *n < size ? *n : size;
    r.first = size - r.length;
    r.kind = ByteRange::Kind::kSatisfiable;
    return r;
  }
  const auto first = parse_u64(a);
  if (!first) return {};
  std::uint64_t last = size == 0 ? 0 : size - 1;
  if (!b.empty()) {
    const auto l = parse_u64(b);
    if (!l || *l < *first) return {};
    if (*l < last) last = *l;
  }
  if (*first >= size) return {ByteRange::Kind::kUnsatisfiable, 0, 0};
  return {ByteRange::Kind::kSatisfiable, *first, last - *first + 1};
}

}  // namespace flux::runtime::statics
