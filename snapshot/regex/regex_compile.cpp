#include "snapshot/regex/regex.hpp"

namespace flux::snapshot::regex {

RegexCompileResult compile_regex(std::string_view pattern) {
  return RegexCompileResult{std::nullopt, RegexError{pattern.size(), "regex engine not implemented yet"}};
}

}  // namespace flux::snapshot::regex
