#pragma once
// Request-target decoding (RFC 3986 §2.1, §6.2.2). Each consumer decodes the raw path exactly
// once for its own purpose: routing decodes unreserved characters only, static files and PHP
// decode everything but refuse what could change the path structure.

#include <optional>
#include <string>
#include <string_view>

namespace flux::runtime::http {

struct SplitTarget {
  std::string_view path;
  std::string_view query;
  bool has_query = false;
  bool absolute_form = false;
  std::string_view authority;  // absolute-form only
};

// origin-form "/p?q" or absolute-form "http://host/p?q" (RFC 9112 §3.2). nullopt for
// authority-form, asterisk-form and anything that does not start with '/' or a scheme.
std::optional<SplitTarget> split_target(std::string_view target);

// Decodes %XX of unreserved characters only (ALPHA DIGIT - . _ ~), so "/%61dmin" routes as
// "/admin" while "%2F" stays encoded (config-reference.md §7.4). Invalid escapes are kept.
std::string decode_unreserved(std::string_view raw_path);

enum class DecodeError { kNone, kBadEscape, kEncodedSlash, kNul, kControl, kBadUtf8 };

// Full percent-decoding, once. Refuses an encoded '/', NUL and other control characters, and
// invalid or overlong UTF-8 in the result (those are answered with 400).
std::optional<std::string> decode_path_once(std::string_view raw_path, DecodeError* error);

// Lexical normalization of a decoded absolute path: collapses "//", drops "." segments and
// resolves ".." without ever going above "/". nullopt when ".." would climb above the root.
std::optional<std::string> normalize_path(std::string_view decoded);

// Segment-aware prefix match: "/api" matches "/api" and "/api/x" but not "/apix"; a prefix
// ending in '/' matches anything below it.
bool path_has_prefix(std::string_view path, std::string_view prefix);

// Percent-encodes everything outside unreserved and "/" (for Location headers built from paths).
std::string encode_path(std::string_view decoded);

}  // namespace flux::runtime::http
