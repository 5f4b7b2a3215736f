// fluxc dump and fluxc diff (cli.md §4, §5): read-only commands over verified snapshots.

#include <boost/json.hpp>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>

#include "compiler/driver/commands.hpp"
#include "snapshot/classifier.hpp"
#include "snapshot/effective_config.hpp"
#include "snapshot/fxs_generated.h"
#include "snapshot/verifier.hpp"

namespace flux::compiler {
namespace {

namespace json = boost::json;

struct Loaded {
  std::vector<std::uint8_t> bytes;
  snapshot::VerifiedSnapshot snap;
};

// Exit 2 for an unreadable file, 1 for an invalid snapshot (cli.md §1.1).
std::optional<Loaded> load(const std::string& path, int& rc) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "fluxc: " << path << ": error[FX0004]: cannot read file\n";
    rc = 2;
    return std::nullopt;
  }
  Loaded l;
  l.bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  auto v = snapshot::verify(l.bytes);
  if (!v) {
    std::cerr << "fluxc: " << path << ": error[FX0006]: " << v.error().message << '\n';
    rc = 1;
    return std::nullopt;
  }
  l.snap = *v;
  return l;
}

std::string str(const flatbuffers::String* s) { return s != nullptr ? s->str() : ""; }

}  // namespace

int run_dump(const std::string& file, const std::string& format) {
  int rc = 0;
  const auto loaded = load(file, rc);
  if (!loaded) return rc;
  const auto& root = *loaded->snap.root;
  const auto entries = snapshot::effective_config(root);
  const std::string version =
      std::to_string(loaded->snap.header.major) + "." + std::to_string(loaded->snap.header.minor);
  if (format == "json") {
    json::array config;
    for (const auto& e : entries) {
      config.push_back(
          {{"key", e.key_path}, {"value", json::parse(e.json)}, {"default", e.is_default}});
    }
    json::object doc{{"format_version", "1.0"},
                     {"snapshot_format", version},
                     {"sha256", loaded->snap.hash_label},
                     {"compiler_version", str(root.compiler_version())},
                     {"source_sha256", "sha256:" + str(root.source_sha256())},
                     {"config", std::move(config)}};
    std::cout << json::serialize(doc) << '\n';
    return 0;
  }
  std::cout << "format " << version << ", " << loaded->snap.hash_label << ", fluxc "
            << str(root.compiler_version()) << ", source sha256:" << str(root.source_sha256())
            << '\n';
  for (const auto& e : entries) {
    std::cout << e.key_path << " = " << e.json << (e.is_default ? " (default)" : "") << '\n';
  }
  return 0;
}

int run_diff(const std::string& old_file, const std::string& new_file, const std::string& format,
             bool exit_code) {
  int rc = 0;
  const auto a = load(old_file, rc);
  if (!a) return rc;
  const auto b = load(new_file, rc);
  if (!b) return rc;
  const auto cls = snapshot::classify(*a->snap.root, *b->snap.root);
  if (format == "json") {
    json::array changes;
    for (const auto& c : cls.changes) {
      changes.push_back({{"op", std::string(1, c.op)},
                         {"key_path", c.key_path},
                         {"old", json::parse(c.old_json)},
                         {"new", json::parse(c.new_json)},
                         {"class", snapshot::reload_class_name(c.reload)}});
    }
    std::cout << json::serialize(json::object{{"format_version", "1.0"},
                                              {"old", a->snap.hash_label},
                                              {"new", b->snap.hash_label},
                                              {"result", snapshot::diff_result_name(cls.result)},
                                              {"changes", std::move(changes)}})
              << '\n';
  } else {
    for (const auto& c : cls.changes) {
      std::string left = std::string(1, c.op) + " " + c.key_path;
      if (c.op == '~' && c.note.empty()) left += ": " + c.old_json + " -> " + c.new_json;
      if (!c.note.empty()) left += " (" + c.note + ")";
      if (left.size() < 66) left.resize(66, ' ');
      std::cout << left << "  " << snapshot::reload_class_name(c.reload) << '\n';
    }
    std::cout << "result: " << snapshot::diff_result_name(cls.result) << " (" << cls.snapshot_safe
              << " snapshot-safe, " << cls.process_upgrade << " process-upgrade)\n";
  }
  if (!exit_code) return 0;
  switch (cls.result) {
    case snapshot::DiffResult::None:
      return 0;
    case snapshot::DiffResult::SnapshotSafe:
      return 3;
    case snapshot::DiffResult::ProcessUpgrade:
      return 4;
  }
  return 0;
}

}  // namespace flux::compiler
