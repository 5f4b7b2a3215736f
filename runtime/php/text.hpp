#pragma once
// Byte-level text helpers shared by the PHP path: ASCII case folding, control characters,
// RFC 9110 tokens, percent-decoding and UTF-8 sequence checks. No locale is ever consulted.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace flux::runtime::php {

constexpr char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }
constexpr char ascii_upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c; }

// 0x00-0x1F and 0x7F (php-behaviour.md §3.1 step 2, §5.1 "param-safe").
constexpr bool is_ctl(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u < 0x20 || u == 0x7f;
}

bool contains_ctl(std::string_view s);
bool iequals(std::string_view a, std::string_view b);
std::string to_lower(std::string_view s);

// RFC 9110 §5.6.2 tchar / token.
bool is_tchar(char c);
bool is_token(std::string_view s);

// Trims spaces and horizontal tabs at both ends (RFC 9110 §5.5 OWS).
std::string_view trim_ows(std::string_view s);

// Decodes every %XX once (RFC 3986 §2.1). A '%' not followed by two hex digits makes the whole
// input invalid: such a path is not a valid URI, and guessing would let two layers disagree.
std::optional<std::string> percent_decode(std::string_view s);

// Length of the well-formed UTF-8 sequence starting at s[i] (RFC 3629 §4: no overlong forms,
// no surrogates, nothing above U+10FFFF), or 0 when the bytes there are not one.
std::size_t utf8_sequence_length(std::string_view s, std::size_t i);
bool is_valid_utf8(std::string_view s);

// Text after the last '.', or empty when there is no dot.
std::string_view extension_of(std::string_view segment);

}  // namespace flux::runtime::php
