// Recursive-descent parser for the `path_regex` dialect (expressions.md §8, RE2 syntax):
// literals, `.`, classes, \d \w \s and negations, ^ $, groups (capturing, named, non-capturing),
// alternation, * + ? {m,n} (n <= 1000) with lazy variants. Everything else of Perl/PCRE
// (backreferences, lookaround, atomic groups, flags) is rejected with its byte offset.
#include <algorithm>
#include <array>
#include <string>

#include "snapshot/regex/regex_ast.hpp"

namespace flux::snapshot::regex {
namespace {

constexpr std::size_t kMaxNesting = 200;  // keeps the recursion of parser and compiler shallow

struct Fail {
  RegexError error;
};

ByteSet range(unsigned lo, unsigned hi) {
  ByteSet s;
  for (unsigned c = lo; c <= hi; ++c) s.set(c);
  return s;
}

ByteSet digit_set() { return range('0', '9'); }
ByteSet word_set() { return range('0', '9') | range('A', 'Z') | range('a', 'z') | range('_', '_'); }
ByteSet space_set() {  // RE2 \s: [\t\n\f\r ]
  return range('\t', '\n') | range('\f', '\r') | range(' ', ' ');
}

bool is_alnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

struct PosixClass {
  std::string_view name;
  ByteSet (*make)();
};

ByteSet posix_alpha() { return range('A', 'Z') | range('a', 'z'); }
ByteSet posix_alnum() { return posix_alpha() | digit_set(); }
ByteSet posix_punct() {
  return range('!', '/') | range(':', '@') | range('[', '`') | range('{', '~');
}

constexpr std::array<PosixClass, 14> kPosix{{
    {"alnum", posix_alnum},
    {"alpha", posix_alpha},
    {"ascii", [] { return range(0, 0x7F); }},
    {"blank", [] { return range('\t', '\t') | range(' ', ' '); }},
    {"cntrl", [] { return range(0, 0x1F) | range(0x7F, 0x7F); }},
    {"digit", digit_set},
    {"graph", [] { return range('!', '~'); }},
    {"lower", [] { return range('a', 'z'); }},
    {"print", [] { return range(' ', '~'); }},
    {"punct", posix_punct},
    {"space", [] { return range('\t', '\r') | range(' ', ' '); }},
    {"upper", [] { return range('A', 'Z'); }},
    {"word", word_set},
    {"xdigit", [] { return digit_set() | range('A', 'F') | range('a', 'f'); }},
}};

class Parser {
 public:
  explicit Parser(std::string_view p) : p_(p) {}

  ParsedRegex run() {
    ParsedRegex out;
    out.root = alternation(0);
    if (pos_ < p_.size()) fail(pos_, "unexpected `)`");  // alternation stops only at `)`
    out.group_names = std::move(names_);
    return out;
  }

 private:
  [[noreturn]] void fail(std::size_t at, std::string message) {
    throw Fail{RegexError{at, std::move(message)}};
  }
  bool more() const { return pos_ < p_.size(); }
  char peek() const { return p_[pos_]; }

  RNode alternation(std::size_t depth) {
    if (depth > kMaxNesting) fail(pos_, "regex nested too deeply");
    RNode alt{RKind::Alt, pos_};
    alt.kids.push_back(concatenation(depth));
    while (more() && peek() == '|') {
      ++pos_;
      alt.kids.push_back(concatenation(depth));
    }
    return alt.kids.size() == 1 ? std::move(alt.kids[0]) : std::move(alt);
  }

  RNode concatenation(std::size_t depth) {
    RNode cat{RKind::Concat, pos_};
    while (more() && peek() != '|' && peek() != ')') {
      RNode atom_node = atom(depth);
      cat.kids.push_back(repetitions(std::move(atom_node)));
    }
    if (cat.kids.empty()) return RNode{RKind::Empty, cat.offset};
    return cat.kids.size() == 1 ? std::move(cat.kids[0]) : std::move(cat);
  }

  RNode atom(std::size_t depth) {
    const std::size_t at = pos_;
    const char c = p_[pos_++];
    switch (c) {
      case '(':
        return group(at, depth);
      case '[':
        return klass(at);
      case '.': {
        ByteSet s;
        s.set();
        s.reset('\n');  // RE2 without the s flag
        return set_node(s, at);
      }
      case '^':
        return RNode{RKind::Begin, at};
      case '$':
        return RNode{RKind::End, at};
      case '\\':
        return set_node(escape(at), at);
      case '*':
      case '+':
      case '?':
        fail(at, std::string("missing argument to repetition operator `") + c + "`");
      case '{': {
        std::uint32_t lo = 0, hi = 0;
        std::size_t probe = at;
        if (parse_braces(probe, lo, hi)) fail(at, "missing argument to repetition operator");
        break;  // not a repetition: a literal `{` (RE2)
      }
      default:
        break;
    }
    ByteSet s;
    s.set(static_cast<unsigned char>(c));
    return set_node(s, at);
  }

  static RNode set_node(const ByteSet& s, std::size_t at) {
    RNode n{RKind::Set, at};
    n.set = s;
    return n;
  }

  // Parses `{m}`, `{m,}` or `{m,n}` starting at p_[pos] == '{'; advances `pos` past it.
  bool parse_braces(std::size_t& pos, std::uint32_t& lo, std::uint32_t& hi) const {
    std::size_t i = pos + 1;
    auto number = [&](std::uint32_t& out) {
      const std::size_t start = i;
      std::uint64_t v = 0;
      while (i < p_.size() && p_[i] >= '0' && p_[i] <= '9' && i - start < 9) {
        v = v * 10 + static_cast<std::uint64_t>(p_[i++] - '0');
      }
      out = static_cast<std::uint32_t>(v);
      return i > start;
    };
    if (!number(lo)) return false;
    hi = lo;
    if (i < p_.size() && p_[i] == ',') {
      ++i;
      if (!number(hi)) hi = kInfinite;
    }
    if (i >= p_.size() || p_[i] != '}') return false;
    pos = i + 1;
    return true;
  }

  RNode repetitions(RNode atom_node) {
    bool repeated = false;
    while (more()) {
      const std::size_t at = pos_;
      std::uint32_t lo = 0, hi = 0;
      const char c = peek();
      if (c == '*' || c == '+' || c == '?') {
        ++pos_;
        lo = c == '+' ? 1 : 0;
        hi = c == '?' ? 1 : kInfinite;
      } else if (c != '{' || !parse_braces(pos_, lo, hi)) {
        break;
      } else if ((hi != kInfinite && hi > kMaxRepeat) || lo > kMaxRepeat) {
        fail(at, "bad repetition count: at most 1000");
      } else if (hi < lo) {
        fail(at, "bad repetition range: max is less than min");
      }
      // RE2 rejects `a**` and `a*{2}`; a `?` right after a repetition makes it lazy.
      if (repeated) fail(at, "bad repetition operator: repeated repetition");
      repeated = true;
      RNode rep{RKind::Repeat, at};
      rep.min = lo;
      rep.max = hi;
      if (more() && peek() == '?') {
        rep.greedy = false;
        ++pos_;
      }
      rep.kids.push_back(std::move(atom_node));
      atom_node = std::move(rep);
    }
    return atom_node;
  }

  RNode group(std::size_t at, std::size_t depth) {
    int index = -1;
    if (more() && peek() == '?') index = group_prefix(at);
    RNode g{RKind::Group, at};
    g.group = index;
    g.kids.push_back(alternation(depth + 1));
    if (!more() || peek() != ')') fail(at, "missing closing `)`");
    ++pos_;
    return g;
  }

  // After `(?`: non-capturing `(?:`, named `(?P<name>` / `(?<name>`; returns the capture index.
  int group_prefix(std::size_t at) {
    const std::string_view rest = p_.substr(pos_);
    if (rest.starts_with("?:")) {
      pos_ += 2;
      return -1;
    }
    std::size_t name_at = 0;
    if (rest.starts_with("?P<")) name_at = pos_ + 3;
    if (rest.starts_with("?<") && !rest.starts_with("?<=") && !rest.starts_with("?<!")) {
      name_at = pos_ + 2;
    }
    if (name_at == 0) unsupported_group(at, rest);
    const std::size_t close = p_.find('>', name_at);
    if (close == std::string_view::npos) fail(at, "missing `>` after group name");
    const std::string_view name = p_.substr(name_at, close - name_at);
    check_group_name(name, name_at);
    pos_ = close + 1;
    names_.emplace_back(name);
    return static_cast<int>(names_.size() - 1);
  }

  [[noreturn]] void unsupported_group(std::size_t at, std::string_view rest) {
    if (rest.starts_with("?=") || rest.starts_with("?!") || rest.starts_with("?<=") ||
        rest.starts_with("?<!")) {
      fail(at, "lookaround is not supported (linear-time regex)");
    }
    if (rest.starts_with("?>")) fail(at, "atomic groups are not supported");
    if (rest.starts_with("?P=")) fail(at, "backreferences are not supported");
    fail(at, "unsupported group syntax; use (?:…), (?P<name>…) or (?<name>…)");
  }

  void check_group_name(std::string_view name, std::size_t at) {
    const bool ident =
        !name.empty() && !(name[0] >= '0' && name[0] <= '9') &&
        std::all_of(name.begin(), name.end(), [](char c) { return is_alnum(c) || c == '_'; });
    if (!ident) fail(at, "invalid group name `" + std::string(name) + "`");
    if (name.size() > kMaxGroupNameBytes) fail(at, "group name longer than 64 bytes");
    if (std::find(names_.begin(), names_.end(), name) != names_.end()) {
      fail(at, "duplicate group name `" + std::string(name) + "`");
    }
    if (names_.size() >= kMaxNamedGroups) fail(at, "more than 16 named groups");
  }

  // Escape after `\` (p_[pos_] is the escaped character); the same inside and outside classes.
  ByteSet escape(std::size_t at) {
    if (!more()) fail(at, "trailing backslash at end of pattern");
    const char c = p_[pos_++];
    switch (c) {
      case 'd':
        return digit_set();
      case 'D':
        return ~digit_set();
      case 'w':
        return word_set();
      case 'W':
        return ~word_set();
      case 's':
        return space_set();
      case 'S':
        return ~space_set();
      case 'n':
        return range('\n', '\n');
      case 't':
        return range('\t', '\t');
      case 'r':
        return range('\r', '\r');
      case 'f':
        return range('\f', '\f');
      case 'v':
        return range('\v', '\v');
      case 'a':
        return range('\a', '\a');
      case 'x': {
        const unsigned v = hex_escape(at);
        return range(v, v);
      }
      default:
        break;
    }
    if (static_cast<unsigned char>(c) < 0x80 && !is_alnum(c)) {
      return range(static_cast<unsigned char>(c), static_cast<unsigned char>(c));
    }
    if (c >= '1' && c <= '9') fail(at, "backreferences are not supported");
    fail(at, "unsupported escape sequence `\\" + std::string(1, c) + "`");
  }

  unsigned hex_escape(std::size_t at) {
    unsigned v = 0;
    if (more() && peek() == '{') {
      const std::size_t close = p_.find('}', pos_);
      if (close == std::string_view::npos || close == pos_ + 1) fail(at, "invalid escape `\\x{`");
      for (std::size_t i = pos_ + 1; i < close; ++i) {
        const int h = hex_value(p_[i]);
        if (h < 0 || v > 0x10FFFF) fail(at, "invalid hexadecimal escape");
        v = v * 16 + static_cast<unsigned>(h);
      }
      pos_ = close + 1;
    } else {
      if (pos_ + 2 > p_.size()) fail(at, "invalid hexadecimal escape");
      const int hi = hex_value(p_[pos_]);
      const int lo = hex_value(p_[pos_ + 1]);
      if (hi < 0 || lo < 0) fail(at, "invalid hexadecimal escape");
      v = static_cast<unsigned>(hi * 16 + lo);
      pos_ += 2;
    }
    // The engine matches bytes: a non-ASCII escape would stand for a multi-byte character.
    if (v > 0x7F) fail(at, "non-ASCII escapes are not supported; write the character itself");
    return v;
  }

  RNode klass(std::size_t at) {
    bool negate = false;
    if (more() && peek() == '^') {
      negate = true;
      ++pos_;
    }
    ByteSet set;
    bool first = true;
    while (true) {
      if (!more()) fail(at, "missing closing `]`");
      if (peek() == ']' && !first) break;
      first = false;
      class_item(set);
    }
    ++pos_;
    return set_node(negate ? ~set : set, at);
  }

  void class_item(ByteSet& set) {
    const std::size_t at = pos_;
    if (p_.substr(pos_).starts_with("[:")) return posix_item(set);
    const auto lo = class_char(set);
    if (!lo) return;  // \d and friends: not usable as a range end
    if (pos_ + 1 < p_.size() && peek() == '-' && p_[pos_ + 1] != ']') {
      ++pos_;
      ByteSet ignored;
      const auto hi = class_char(ignored);
      if (!hi || *hi < *lo) {
        fail(at, "invalid character class range `" + std::string(p_.substr(at, pos_ - at)) + "`");
      }
      set |= range(*lo, *hi);
      return;
    }
    set.set(*lo);
  }

  // One class member: a byte (returned) or a multi-byte escape like \d (merged into `set`).
  std::optional<unsigned> class_char(ByteSet& set) {
    const std::size_t at = pos_;
    const auto c = static_cast<unsigned char>(p_[pos_++]);
    if (c >= 0x80) fail(at, "non-ASCII characters are not supported inside `[...]`");
    if (c != '\\') return c;
    const ByteSet e = escape(at);
    if (e.count() == 1) {
      for (unsigned b = 0; b < 256; ++b) {
        if (e.test(b)) return b;
      }
    }
    set |= e;
    return std::nullopt;
  }

  void posix_item(ByteSet& set) {
    const std::size_t at = pos_;
    const std::size_t close = p_.find(":]", pos_ + 2);
    if (close == std::string_view::npos) fail(at, "missing closing `:]`");
    std::string_view name = p_.substr(pos_ + 2, close - pos_ - 2);
    const bool negate = name.starts_with('^');
    if (negate) name.remove_prefix(1);
    const auto it = std::find_if(kPosix.begin(), kPosix.end(),
                                 [&](const PosixClass& p) { return p.name == name; });
    if (it == kPosix.end()) fail(at, "invalid character class `[:" + std::string(name) + ":]`");
    set |= negate ? ~it->make() : it->make();
    pos_ = close + 2;
  }

  std::string_view p_;
  std::size_t pos_ = 0;
  std::vector<std::string> names_;
};

}  // namespace

ParseOutcome parse_regex(std::string_view pattern) {
  if (pattern.size() > kMaxPatternBytes) {
    return ParseOutcome{std::nullopt, RegexError{kMaxPatternBytes, "regex longer than 4096 bytes"}};
  }
  try {
    return ParseOutcome{Parser(pattern).run(), {}};
  } catch (const Fail& f) {
    return ParseOutcome{std::nullopt, f.error};
  }
}

}  // namespace flux::snapshot::regex
