#include "compiler/diag/diag_engine.hpp"

#include <algorithm>
#include <set>
#include <tuple>

namespace flux::compiler {

namespace {

constexpr CodeInfo kCodes[] = {
#define FX_DIAG(num, sev, title, text) {Code::FX##num, Severity::sev, "FX" #num, title, text},
#include "compiler/diag/diagnostics.def"
#undef FX_DIAG
};

}  // namespace

std::span<const CodeInfo> all_codes() { return kCodes; }

const CodeInfo& code_info(Code code) {
  for (const auto& c : kCodes) {
    if (c.code == code) return c;
  }
  return kCodes[0];
}

const CodeInfo* find_code(std::string_view id) {
  for (const auto& c : kCodes) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

Diagnostic& DiagEngine::report(Code code, std::string key_path, std::string message,
                               std::optional<SourceRange> range) {
  const Severity sev = code_info(code).severity;
  if (sev == Severity::Error) ++errors_;
  diags_.push_back(Diagnostic{code, sev, std::move(key_path), std::move(message), range, {}});
  return diags_.back();
}

std::vector<Diagnostic> DiagEngine::finish() const {
  std::vector<Diagnostic> out = diags_;
  // Position-less diagnostics (I/O) sort first; then file, offset, code.
  auto key = [](const Diagnostic& d) {
    return std::make_tuple(d.range.has_value(), d.range ? d.range->file : 0,
                           d.range ? d.range->begin : 0, static_cast<int>(d.code));
  };
  std::stable_sort(out.begin(), out.end(),
                   [&](const Diagnostic& a, const Diagnostic& b) { return key(a) < key(b); });
  std::set<std::pair<int, std::string>> seen;
  std::vector<Diagnostic> unique;
  unique.reserve(out.size());
  for (auto& d : out) {
    if (seen.emplace(static_cast<int>(d.code), d.key_path).second) unique.push_back(std::move(d));
  }
  return unique;
}

Diagnostic& add_note(Diagnostic& d, std::string message, std::optional<SourceRange> range) {
  d.children.push_back({DiagChild::Kind::Note, std::move(message), range});
  return d;
}

Diagnostic& add_help(Diagnostic& d, std::string message) {
  d.children.push_back({DiagChild::Kind::Help, std::move(message), std::nullopt});
  return d;
}

}  // namespace flux::compiler
