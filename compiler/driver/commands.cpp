#include "compiler/driver/commands.hpp"

#include <unistd.h>

#include <boost/json/serialize.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "compiler/diag/render.hpp"
#include "compiler/driver/json_schema.hpp"
#include "compiler/driver/pipeline.hpp"
#include "compiler/emit/atomic_write.hpp"
#include "snapshot/format.hpp"

namespace flux::compiler {
namespace {

namespace fs = std::filesystem;

std::optional<std::string> read_file(const std::string& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool use_color(const std::string& mode) {
  if (mode == "always") return true;
  if (mode == "never") return false;
  return ::isatty(STDERR_FILENO) == 1 && std::getenv("NO_COLOR") == nullptr;
}

std::string default_output(const std::string& input) {
  fs::path p(input);
  return (p.parent_path() / p.stem()).string() + ".fxs";
}

// An I/O error (exit 2) in the requested format: a diagnostic without a source range.
int io_error(const CheckArgs& args, Code code, const std::string& message) {
  std::vector<Diagnostic> diags{Diagnostic{code, Severity::Error, "", message, std::nullopt, {}}};
  SourceManager none;
  if (args.format == "json") {
    std::cout << boost::json::serialize(render_json(none, diags, false)) << '\n';
  } else if (args.format == "sarif") {
    std::cout << boost::json::serialize(render_sarif(none, diags)) << '\n';
  } else {
    render_human(std::cerr, none, diags, use_color(args.color));
  }
  return 2;
}

struct Written {
  std::string path;
  std::size_t bytes = 0;
  std::string hash;
};

}  // namespace

int run_check(const CheckArgs& args) {
  auto text = read_file(args.file);
  if (!text) return io_error(args, Code::FX0004, "cannot read `" + args.file + "`");
  PipelineOptions opts;
  opts.host_checks = !args.no_host_checks;
  opts.deny_warnings = args.deny_warnings;
  opts.skip_teardown = true;
  opts.base_dir = fs::absolute(fs::path(args.file)).lexically_normal().parent_path().string();
  PipelineResult result = run_pipeline(args.file, std::move(*text), opts);
  std::optional<Written> written;
  if (args.build && !result.failed) {
    const std::string out = args.output.value_or(default_output(args.file));
    if (auto w = emit::atomic_write(out, result.snapshot); !w) {
      return io_error(args, Code::FX0005, w.error().message);
    }
    const auto payload = std::span(result.snapshot).subspan(snapshot::kHeaderSize);
    written = Written{out, result.snapshot.size(),
                      snapshot::content_hash_label(snapshot::sha256(payload))};
  }
  if (args.format == "json") {
    auto doc = render_json(result.sources, result.diagnostics, !result.failed);
    if (written) {
      doc["output"] = {
          {"path", written->path}, {"bytes", written->bytes}, {"sha256", written->hash.substr(7)}};
    }
    std::cout << boost::json::serialize(doc) << '\n';
  } else if (args.format == "sarif") {
    std::cout << boost::json::serialize(render_sarif(result.sources, result.diagnostics)) << '\n';
  } else {
    render_human(std::cerr, result.sources, result.diagnostics, use_color(args.color));
    std::cerr << summary_line(tally(result.diagnostics), args.file, result.failed) << '\n';
    if (written) {
      std::cerr << "wrote " << written->path << " (" << written->bytes << " bytes) "
                << written->hash << '\n';
    }
  }
  return result.failed ? 1 : 0;
}

int run_explain(const std::string& code, bool list) {
  if (list) {
    for (const auto& c : all_codes()) {
      std::cout << c.id << "  " << (c.severity == Severity::Error ? "error  " : "warning") << "  "
                << c.title << '\n';
    }
    return 0;
  }
  const CodeInfo* info = find_code(code);
  if (info == nullptr) {
    std::cerr << "fluxc: unknown diagnostic code `" << code << "` (see fluxc explain --list)\n";
    return 2;
  }
  std::cout << info->id << " (" << (info->severity == Severity::Error ? "error" : "warning")
            << "): " << info->title << "\n\n"
            << info->explanation << '\n';
  return 0;
}

int run_schema() {
  std::cout << boost::json::serialize(json_schema()) << '\n';
  return 0;
}

}  // namespace flux::compiler
