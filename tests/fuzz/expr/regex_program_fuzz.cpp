// Arbitrary programs (valid header, fuzzed instructions and classes): whatever passes
// verify_regex_program must run without crashing, within the linear step bound. This is the
// "treat our own compiler's output as untrusted" check for snapshot loading.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "snapshot/regex/matcher.hpp"
#include "snapshot/regex/program.hpp"

using namespace flux::snapshot::regex;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::size_t groups = data[0] % 3;
  const std::uint32_t flags = data[1] & 1u;
  std::vector<std::uint32_t> words((size - 2) / 4);
  if (words.empty()) return 0;
  std::memcpy(words.data(), data + 2, words.size() * 4);
  const std::size_t n = std::min<std::size_t>(words.size() / 2, 64);
  if (n == 0) return 0;
  std::vector<std::uint32_t> code{prog::kMagic, static_cast<std::uint32_t>(n), 1,
                                  static_cast<std::uint32_t>(2 * groups), flags};
  code.insert(code.end(), words.begin(), words.begin() + static_cast<std::ptrdiff_t>(2 * n));
  for (std::size_t i = 0; i < prog::kClassWords; ++i) code.push_back(0x55AA55AAu * (i + 1));
  auto matcher = Matcher::load(code, groups);
  if (!matcher.ok()) return 0;
  std::vector<Capture> caps(groups);
  MatchScratch scratch;
  for (const char* subject : {"", "/a/b", "aaaaaaaaaaaaaaaab", "\xff\n\x00x"}) {
    MatchStats stats;
    const std::string_view s(subject);
    matcher->match(s, caps, scratch, &stats);
    if (stats.steps > 2 * n * (s.size() + 1)) __builtin_trap();
  }
  return 0;
}
