#include "snapshot/regex/matcher.hpp"

namespace flux::snapshot::regex {

Result<void> verify_regex_program(std::span<const std::uint32_t>, std::size_t) {
  return make_error("regex engine not implemented yet");
}

Result<Matcher> Matcher::load(std::span<const std::uint32_t> code, std::size_t group_count) {
  if (auto r = verify_regex_program(code, group_count); !r) return r.error();
  return Matcher(code, group_count);
}

bool Matcher::match(std::string_view, std::span<Capture>, MatchScratch&, MatchStats*) const {
  return false;
}

bool Matcher::match(std::string_view subject, std::span<Capture> groups) const {
  MatchScratch scratch;
  return match(subject, groups, scratch);
}

}  // namespace flux::snapshot::regex
