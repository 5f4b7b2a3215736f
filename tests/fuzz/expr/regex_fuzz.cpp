// Input: `pattern\nsubject`. Checks that compile errors point inside the pattern, that compiled
// programs pass the verifier, that captures lie inside the subject, and that matching stays
// within the linear bound of expressions.md §8 (2 steps per instruction per position).
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "snapshot/regex/matcher.hpp"
#include "snapshot/regex/regex.hpp"

using namespace flux::snapshot::regex;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  const auto nl = in.find('\n');
  const std::string_view pattern = in.substr(0, nl);
  const std::string_view subject = nl == std::string_view::npos ? "" : in.substr(nl + 1);
  const auto compiled = compile_regex(pattern);
  if (!compiled.ok()) {
    if (compiled.error.offset > pattern.size() || compiled.error.message.empty()) __builtin_trap();
    return 0;
  }
  const auto& re = *compiled.regex;
  auto matcher = Matcher::load(re.code, re.group_names.size());
  if (!matcher.ok()) __builtin_trap();
  std::vector<Capture> caps(re.group_names.size());
  MatchScratch scratch;
  MatchStats stats;
  matcher->match(subject, caps, scratch, &stats);
  const std::uint64_t instructions = re.code[1];
  if (stats.steps > 2 * instructions * (subject.size() + 1)) __builtin_trap();
  for (const auto& c : caps) {
    if (c.matched && (c.begin > c.end || c.end > subject.size())) __builtin_trap();
  }
  return 0;
}
