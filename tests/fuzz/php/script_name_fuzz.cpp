// libFuzzer target: the script-name parser (php-behaviour.md §3.1, §3.3). An accepted path
// yields an absolute script name made only of valid, non-hidden segments, and PATH_INFO only
// when path_info = "split".

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "runtime/php/script_name.hpp"
#include "runtime/php/segment.hpp"
#include "runtime/php/text.hpp"

using namespace flux::runtime::php;

namespace {

void check_path(std::string_view p) {
  if (p.empty() || p.front() != '/' || contains_ctl(p) || !is_valid_utf8(p)) std::abort();
  std::string_view rest = p.substr(1);
  while (!rest.empty()) {
    const std::size_t slash = rest.find('/');
    if (!is_valid_segment(rest.substr(0, slash), HiddenSegments::kReject)) std::abort();
    rest.remove_prefix(slash == std::string_view::npos ? rest.size() : slash + 1);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  ScriptConfig config;
  config.allowed_extensions = {"php", "phtml"};
  config.deny_path_prefixes = {"/uploads/", "/files"};
  config.path_info = (data[0] & 1) ? PathInfoMode::kSplit : PathInfoMode::kDisabled;
  const std::string_view path(reinterpret_cast<const char*>(data + 1), size - 1);
  const ParseResult r = parse_script_path(path, config);
  if (!r.ok()) return 0;
  check_path(r.path.script_name);
  if (!r.path.path_info.empty()) {
    if (config.path_info == PathInfoMode::kDisabled || !r.path.explicit_script) std::abort();
    check_path(r.path.path_info);
  }
  if (r.path.explicit_script ? !has_allowed_extension(r.path.script_name, config.allowed_extensions)
                             : r.path.script_name != "/" + config.index) {
    std::abort();
  }
  (void)is_denied(r.path.script_name, config.deny_path_prefixes);
  return 0;
}
