#include <algorithm>
#include <string>

#include "compiler/diag/render.hpp"

namespace flux::compiler {
namespace {

// Tabs are expanded to 4 spaces in the snippet and caret lines (cli.md §2 "Snippet").
std::string expand_tabs(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '\t') {
      out += "    ";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

// Display width of a byte prefix: scalar values, tabs counting 4.
std::size_t display_width(std::string_view s) {
  std::size_t w = 0;
  for (unsigned char c : s) {
    if (c == '\t') {
      w += 4;
    } else if ((c & 0xC0) != 0x80) {
      ++w;
    }
  }
  return w;
}

struct Style {
  bool on;
  std::string_view paint(std::string_view code) const { return on ? code : std::string_view(); }
};

void render_snippet(std::ostream& out, const SourceManager& sm, const SourceRange& r,
                    const Style& st) {
  const LineCol begin = sm.line_col(r.file, r.begin);
  const std::string num = std::to_string(begin.line);
  const std::string pad(num.size() + 1, ' ');
  const std::string_view line = sm.line_text(r.file, begin.line);
  const std::uint32_t line_begin = sm.line_start(r.file, begin.line);
  const std::size_t start_byte = std::min<std::size_t>(r.begin - line_begin, line.size());
  // A multi-line span shows its first line only, with carets to its end.
  const std::size_t end_byte =
      std::clamp<std::size_t>(r.end > line_begin ? r.end - line_begin : 0, start_byte, line.size());
  const std::size_t lead = display_width(line.substr(0, start_byte));
  const std::size_t width =
      std::max<std::size_t>(1, display_width(line.substr(start_byte, end_byte - start_byte)));
  out << st.paint("\x1b[1;34m") << pad << '|' << st.paint("\x1b[0m") << '\n';
  out << st.paint("\x1b[1;34m") << num << " |" << st.paint("\x1b[0m") << ' ' << expand_tabs(line)
      << '\n';
  out << st.paint("\x1b[1;34m") << pad << '|' << st.paint("\x1b[0m") << ' '
      << std::string(lead, ' ') << st.paint("\x1b[1;31m") << std::string(width, '^')
      << st.paint("\x1b[0m") << '\n';
}

std::string location(const SourceManager& sm, const SourceRange& r) {
  const LineCol lc = sm.line_col(r.file, r.begin);
  return sm.name(r.file) + ":" + std::to_string(lc.line) + ":" + std::to_string(lc.column);
}

void render_one(std::ostream& out, const SourceManager& sm, const Diagnostic& d, const Style& st) {
  const CodeInfo& info = code_info(d.code);
  const bool err = d.severity == Severity::Error;
  out << st.paint("\x1b[1m");
  if (d.range) out << location(sm, *d.range) << ": ";
  out << st.paint(err ? "\x1b[1;31m" : "\x1b[1;33m") << (err ? "error" : "warning") << '['
      << info.id << ']' << st.paint("\x1b[0m\x1b[1m") << ": ";
  if (!d.key_path.empty()) out << d.key_path << ": ";
  out << d.message << st.paint("\x1b[0m") << '\n';
  std::string pad = "  ";
  if (d.range) {
    render_snippet(out, sm, *d.range, st);
    pad = std::string(std::to_string(sm.line_col(d.range->file, d.range->begin).line).size() + 1,
                      ' ');
  }
  for (const auto& c : d.children) {
    out << pad << "= " << (c.kind == DiagChild::Kind::Note ? "note" : "help") << ": " << c.message;
    if (c.range) out << " at " << location(sm, *c.range);
    out << '\n';
  }
}

std::string plural(std::size_t n, std::string_view word) {
  return std::to_string(n) + " " + std::string(word) + (n == 1 ? "" : "s");
}

}  // namespace

Tally tally(const std::vector<Diagnostic>& diags) {
  Tally t;
  for (const auto& d : diags) (d.severity == Severity::Error ? t.errors : t.warnings) += 1;
  return t;
}

void render_human(std::ostream& out, const SourceManager& sm, const std::vector<Diagnostic>& diags,
                  bool color) {
  const Style st{color};
  for (const auto& d : diags) render_one(out, sm, d, st);
}

std::string summary_line(const Tally& t, std::string_view input, bool failed) {
  if (failed) {
    return "error: " + plural(t.errors, "error") + ", " + plural(t.warnings, "warning") + "; " +
           std::string(input) + " is invalid";
  }
  std::string s = std::string(input) + " is valid";
  if (t.warnings > 0) s += " (" + plural(t.warnings, "warning") + ")";
  return s;
}

}  // namespace flux::compiler
