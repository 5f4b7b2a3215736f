#include "runtime/php/segment.hpp"

#include <array>
#include <string>

#include "runtime/php/text.hpp"

namespace flux::runtime::php {
namespace {

// Windows also treats COM/LPT followed by U+00B9, U+00B2, U+00B3 as devices (UTF-8 below).
constexpr std::array<std::string_view, 3> kSuperscriptDigits = {"\xC2\xB9", "\xC2\xB2", "\xC2\xB3"};

bool is_numbered_device(std::string_view stem) {
  if (stem.size() < 4) return false;
  const std::string_view prefix = stem.substr(0, 3);
  if (prefix != "COM" && prefix != "LPT") return false;
  const std::string_view digit = stem.substr(3);
  if (digit.size() == 1) return digit[0] >= '1' && digit[0] <= '9';
  for (std::string_view sup : kSuperscriptDigits) {
    if (digit == sup) return true;
  }
  return false;
}

}  // namespace

bool is_windows_device_name(std::string_view segment) {
  std::string stem(segment.substr(0, segment.find('.')));
  for (char& c : stem) c = ascii_upper(c);
  if (stem == "CON" || stem == "PRN" || stem == "AUX" || stem == "NUL" || stem == "CONIN$" ||
      stem == "CONOUT$") {
    return true;
  }
  return is_numbered_device(stem);
}

bool is_valid_segment(std::string_view segment, HiddenSegments hidden) {
  if (segment.empty() || segment == "." || segment == "..") return false;
  if (segment.front() == '.' && hidden == HiddenSegments::kReject) return false;
  if (segment.back() == '.' || segment.back() == ' ') return false;
  for (char c : segment) {
    if (c == '/' || c == '\\' || c == ':' || is_ctl(c)) return false;
  }
  return !is_windows_device_name(segment);
}

}  // namespace flux::runtime::php
