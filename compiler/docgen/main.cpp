// fluxc_docgen <docs-dir> [--check]: writes (or, with --check, compares) the generated docs.
// `ninja docs` writes them; the ctest test `docs_fresh` fails when the committed ones are stale.

#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "compiler/docgen/docgen.hpp"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: fluxc_docgen <docs-dir> [--check]\n";
    return 2;
  }
  const std::string dir = argv[1];
  const bool check = argc > 2 && std::string(argv[2]) == "--check";
  const std::pair<const char*, std::string> docs[] = {
      {"config-reference.md", flux::compiler::config_reference_md()},
      {"diagnostics.md", flux::compiler::diagnostics_md()},
      {"presets.md", flux::compiler::presets_md()}};
  int stale = 0;
  for (const auto& [name, text] : docs) {
    const std::string path = dir + "/" + name;
    if (check) {
      std::ifstream in(path);
      std::ostringstream ss;
      ss << in.rdbuf();
      if (ss.str() != text) {
        std::cerr << "fluxc_docgen: " << path << " is stale; run `ninja docs` and commit it\n";
        ++stale;
      }
    } else {
      std::ofstream(path) << text;
    }
  }
  return stale == 0 ? 0 : 1;
}
