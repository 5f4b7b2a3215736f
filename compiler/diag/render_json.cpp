#include <boost/json.hpp>

#include "compiler/diag/render.hpp"

namespace flux::compiler {
namespace json = boost::json;
namespace {

// cli.md §3: the output is one valid UTF-8 JSON document even when the input file is not UTF-8
// (a snippet of such a file is what FX0001 shows): invalid sequences become U+FFFD.
std::string utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t len = c < 0x80           ? 1
                            : (c >> 5) == 0x6  ? 2
                            : (c >> 4) == 0xE  ? 3
                            : (c >> 3) == 0x1E ? 4
                                               : 0;
    bool ok = len != 0 && i + len <= s.size();
    for (std::size_t k = 1; ok && k < len; ++k)
      ok = (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
    if (ok && len > 1) {
      // Reject overlong forms, surrogates and code points above U+10FFFF (RFC 3629).
      const auto c1 = static_cast<unsigned char>(s[i + 1]);
      ok = !(len == 2 && c < 0xC2) && !(len == 3 && c == 0xE0 && c1 < 0xA0) &&
           !(len == 3 && c == 0xED && c1 >= 0xA0) && !(len == 4 && c == 0xF0 && c1 < 0x90) &&
           !(len == 4 && (c > 0xF4 || (c == 0xF4 && c1 >= 0x90)));
    }
    if (ok) {
      out.append(s.substr(i, len));
      i += len;
    } else {
      out += "\xEF\xBF\xBD";
      ++i;
    }
  }
  return out;
}

json::object position(const SourceManager& sm, FileId file, std::uint32_t offset) {
  const LineCol lc = sm.line_col(file, offset);
  json::object o;
  o["line"] = lc.line;
  o["column"] = lc.column;
  o["byte"] = offset;
  return o;
}

json::value range_json(const SourceManager& sm, const std::optional<SourceRange>& r) {
  if (!r) return nullptr;
  json::object o;
  o["file"] = utf8(sm.name(r->file));
  o["start"] = position(sm, r->file, r->begin);
  o["end"] = position(sm, r->file, r->end);
  return o;
}

// cli.md §3 "snippet": the first line of the span, with byte offsets within that line.
json::value snippet_json(const SourceManager& sm, const std::optional<SourceRange>& r) {
  if (!r) return nullptr;
  const std::uint32_t line = sm.line_col(r->file, r->begin).line;
  const std::string_view code = sm.line_text(r->file, line);
  const std::uint32_t start = sm.line_start(r->file, line);
  const std::size_t hs = std::min<std::size_t>(r->begin - start, code.size());
  const std::size_t he =
      std::clamp<std::size_t>(r->end > start ? r->end - start : 0, hs, code.size());
  json::object o;
  o["code"] = utf8(code);
  o["start_line"] = line;
  o["highlight_start_offset"] = hs;
  o["highlight_end_offset"] = he;
  return o;
}

json::object diag_json(const SourceManager& sm, const Diagnostic& d) {
  json::object o;
  o["code"] = code_info(d.code).id;
  o["severity"] = d.severity == Severity::Error ? "error" : "warning";
  o["message"] = utf8(d.message);
  o["key_path"] = utf8(d.key_path);
  o["range"] = range_json(sm, d.range);
  o["snippet"] = snippet_json(sm, d.range);
  json::array children;
  for (const auto& c : d.children) {
    json::object co;
    co["kind"] = c.kind == DiagChild::Kind::Note ? "note" : "help";
    co["message"] = utf8(c.message);
    if (c.range) co["range"] = range_json(sm, c.range);
    children.push_back(std::move(co));
  }
  o["children"] = std::move(children);
  return o;
}

}  // namespace

json::object render_json(const SourceManager& sm, const std::vector<Diagnostic>& diags,
                         bool valid) {
  const Tally t = tally(diags);
  json::object doc;
  doc["format_version"] = "1.0";
  doc["valid"] = valid;
  doc["error_count"] = t.errors;
  doc["warning_count"] = t.warnings;
  json::array list;
  for (const auto& d : diags) list.push_back(diag_json(sm, d));
  doc["diagnostics"] = std::move(list);
  return doc;
}

json::object render_sarif(const SourceManager& sm, const std::vector<Diagnostic>& diags) {
  json::array rules;
  std::vector<Code> emitted;
  json::array results;
  for (const auto& d : diags) {
    const CodeInfo& info = code_info(d.code);
    if (std::find(emitted.begin(), emitted.end(), d.code) == emitted.end()) {
      emitted.push_back(d.code);
      rules.push_back({{"id", info.id},
                       {"shortDescription", {{"text", info.title}}},
                       {"helpUri", "fluxc explain " + std::string(info.id)}});
    }
    json::object res{
        {"ruleId", info.id},
        {"level", d.severity == Severity::Error ? "error" : "warning"},
        {"message",
         {{"text", utf8(d.key_path.empty() ? d.message : d.key_path + ": " + d.message)}}},
        {"properties", {{"key_path", utf8(d.key_path)}}}};
    if (d.range) {
      const LineCol b = sm.line_col(d.range->file, d.range->begin);
      const LineCol e = sm.line_col(d.range->file, d.range->end);
      json::object region{{"startLine", b.line},
                          {"startColumn", b.column},
                          {"endLine", e.line},
                          {"endColumn", e.column},
                          {"byteOffset", d.range->begin},
                          {"byteLength", d.range->end - d.range->begin}};
      res["locations"] =
          json::array{json::object{{"physicalLocation",
                                    {{"artifactLocation", {{"uri", utf8(sm.name(d.range->file))}}},
                                     {"region", std::move(region)}}}}};
    }
    results.push_back(std::move(res));
  }
  json::object driver{{"name", "fluxc"}, {"rules", std::move(rules)}};
  json::object run{{"tool", {{"driver", std::move(driver)}}}, {"results", std::move(results)}};
  return {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
          {"version", "2.1.0"},
          {"runs", json::array{std::move(run)}}};
}

}  // namespace flux::compiler
