#include "runtime/http/uri.hpp"

#include "snapshot/utf8.hpp"

namespace flux::runtime::http {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool is_unreserved(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

}  // namespace

std::optional<SplitTarget> split_target(std::string_view target) {
  SplitTarget out;
  std::string_view rest = target;
  if (rest.empty()) return std::nullopt;
  if (rest.front() != '/') {
    // absolute-form: scheme "://" authority [path-abempty] [ "?" query ]
    const auto scheme_end = rest.find("://");
    if (scheme_end == std::string_view::npos || scheme_end == 0) return std::nullopt;
    for (char c : rest.substr(0, scheme_end)) {
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '+' || c == '-' || c == '.')) {
        return std::nullopt;
      }
    }
    rest.remove_prefix(scheme_end + 3);
    const auto path_start = rest.find_first_of("/?");
    out.authority = rest.substr(0, path_start);
    if (out.authority.empty()) return std::nullopt;
    out.absolute_form = true;
    rest = path_start == std::string_view::npos ? std::string_view{} : rest.substr(path_start);
  }
  const auto q = rest.find('?');
  out.path = rest.substr(0, q);
  if (q != std::string_view::npos) {
    out.has_query = true;
    out.query = rest.substr(q + 1);
  }
  if (out.path.empty()) out.path = "/";
  return out;
}

std::string decode_unreserved(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '%' && i + 2 < raw.size()) {
      const int hi = hex_value(raw[i + 1]);
      const int lo = hex_value(raw[i + 2]);
      if (hi >= 0 && lo >= 0 && is_unreserved(static_cast<unsigned char>(hi * 16 + lo))) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(raw[i]);
  }
  return out;
}

std::optional<std::string> decode_path_once(std::string_view raw, DecodeError* error) {
  std::string out;
  out.reserve(raw.size());
  *error = DecodeError::kNone;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(raw[i]);
    if (c == '%') {
      const bool complete = i + 2 < raw.size();
      const int hi = complete ? hex_value(raw[i + 1]) : -1;
      const int lo = complete ? hex_value(raw[i + 2]) : -1;
      if (hi < 0 || lo < 0) {
        *error = DecodeError::kBadEscape;
        return std::nullopt;
      }
      c = static_cast<unsigned char>(hi * 16 + lo);
      i += 2;
      if (c == '/' || c == '\\') {
        *error = DecodeError::kEncodedSlash;
        return std::nullopt;
      }
    }
    if (c == 0) {
      *error = DecodeError::kNul;
      return std::nullopt;
    }
    if (c < 0x20 || c == 0x7f) {
      *error = DecodeError::kControl;
      return std::nullopt;
    }
    out.push_back(static_cast<char>(c));
  }
  if (!snapshot::is_valid_utf8(out)) {
    *error = DecodeError::kBadUtf8;
    return std::nullopt;
  }
  return out;
}

std::optional<std::string> normalize_path(std::string_view decoded) {
  std::string out;
  out.reserve(decoded.size() + 1);
  std::size_t i = 0;
  while (i <= decoded.size()) {
    const auto slash = decoded.find('/', i);
    const auto end = slash == std::string_view::npos ? decoded.size() : slash;
    const std::string_view seg = decoded.substr(i, end - i);
    if (seg == "..") {
      if (out.empty()) return std::nullopt;
      out.resize(out.rfind('/'));
    } else if (!seg.empty() && seg != ".") {
      out.push_back('/');
      out.append(seg);
    }
    if (slash == std::string_view::npos) break;
    i = slash + 1;
  }
  const bool trailing = !decoded.empty() && (decoded.back() == '/' || decoded.ends_with("/.") ||
                                             decoded.ends_with("/.."));
  if (out.empty() || trailing) out.push_back('/');
  return out;
}

bool path_has_prefix(std::string_view path, std::string_view prefix) {
  if (!path.starts_with(prefix)) return false;
  if (path.size() == prefix.size() || prefix.ends_with('/')) return true;
  return path[prefix.size()] == '/';
}

std::string encode_path(std::string_view decoded) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(decoded.size());
  for (unsigned char c : decoded) {
    if (is_unreserved(c) || c == '/') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xf]);
    }
  }
  return out;
}

}  // namespace flux::runtime::http
