#include "compiler/expr/literals.hpp"

namespace flux::compiler::expr {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes the escape at body[i] == '\\'; returns the number of bytes consumed, or 0.
std::size_t decode_escape(std::string_view body, std::size_t i, std::string& out) {
  if (i + 1 >= body.size()) return 0;
  switch (body[i + 1]) {
    case '"':
      out += '"';
      return 2;
    case '\\':
      out += '\\';
      return 2;
    case 'n':
      out += '\n';
      return 2;
    case 't':
      out += '\t';
      return 2;
    case 'x': {
      if (i + 3 >= body.size()) return 0;
      const int hi = hex_value(body[i + 2]);
      const int lo = hex_value(body[i + 3]);
      // ASCII only: snapshot strings must stay valid UTF-8 (cli.md §4 step 4).
      if (hi < 0 || lo < 0 || hi > 7) return 0;
      out += static_cast<char>(hi * 16 + lo);
      return 4;
    }
    default:
      return 0;
  }
}

std::size_t utf8_length_at(std::string_view s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  const std::size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
  return std::min(n, s.size() - i);
}

}  // namespace

std::optional<std::string> decode_string(std::string_view token, std::size_t at, Diags& diags) {
  const std::string_view body = token.substr(1, token.size() - 2);
  std::string out;
  if (token.front() == '\'') {
    out.assign(body);  // single-quoted strings are raw (§2)
  } else {
    for (std::size_t i = 0; i < body.size();) {
      if (body[i] != '\\') {
        out += body[i++];
        continue;
      }
      const std::size_t n = decode_escape(body, i, out);
      if (n == 0) {
        const std::size_t len = 1 + (i + 1 < body.size() ? utf8_length_at(body, i + 1) : 0);
        const Span s{at + 1 + i, at + 1 + i + len};
        auto& d = diags.error(
            "FX0802", "invalid escape " + quoted(body.substr(i, len)) + " in string literal", s);
        d.helps.push_back(
            R"(valid escapes are \" \\ \n \t and \x00 to \x7f; or use '…' for a raw string)");
        return std::nullopt;
      }
      i += n;
    }
  }
  if (out.size() > kMaxStringLiteral) {
    diags.error("FX0810", "string literal longer than 1024 bytes", Span{at, at + token.size()});
    return std::nullopt;
  }
  return out;
}

std::optional<std::uint32_t> parse_int(std::string_view token, Span span, Diags& diags) {
  std::uint64_t v = 0;
  for (char c : token) {
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
    if (v > 0xFFFFFFFFull) {
      diags.error("FX0810", "integer literal out of range (0..4294967295)", span);
      return std::nullopt;
    }
  }
  return static_cast<std::uint32_t>(v);
}

std::string quote_string(std::string_view value) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (char c : value) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (u < 0x20 || u == 0x7F) {
      out += "\\x";
      out += kHex[u >> 4];
      out += kHex[u & 15];
    } else {
      out += c;
    }
  }
  out += '"';
  return out;
}

}  // namespace flux::compiler::expr
