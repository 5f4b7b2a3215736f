// The `path_regex` engine (expressions.md §8): RE2 syntax and leftmost-first semantics,
// errors with byte offsets, limits, the program verifier, and linear-time matching measured in
// VM steps (not wall time).
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "snapshot/regex/matcher.hpp"
#include "snapshot/regex/program.hpp"
#include "snapshot/regex/regex.hpp"

namespace flux::snapshot::regex {
namespace {

struct Run {
  bool matched = false;
  std::vector<std::optional<std::string>> groups;
  std::uint64_t steps = 0;
  std::size_t instructions = 0;
};

Run run(std::string_view pattern, std::string_view subject) {
  auto c = compile_regex(pattern);
  EXPECT_TRUE(c.ok()) << pattern << ": " << c.error.message << " at " << c.error.offset;
  if (!c.ok()) return {};
  auto m = Matcher::load(c.regex->code, c.regex->group_names.size());
  EXPECT_TRUE(m.ok()) << m.error().message;
  std::vector<Capture> caps(c.regex->group_names.size());
  MatchScratch scratch;
  MatchStats stats;
  Run r;
  r.matched = m->match(subject, caps, scratch, &stats);
  r.steps = stats.steps;
  r.instructions = c.regex->code[1];
  for (const auto& cap : caps) {
    r.groups.push_back(cap.matched ? std::optional<std::string>(std::string(
                                         subject.substr(cap.begin, cap.end - cap.begin)))
                                   : std::nullopt);
  }
  return r;
}

bool matches(std::string_view pattern, std::string_view subject) {
  return run(pattern, subject).matched;
}

void expect_error(std::string_view pattern, std::size_t offset, std::string_view message) {
  auto c = compile_regex(pattern);
  ASSERT_FALSE(c.ok()) << pattern;
  EXPECT_EQ(c.error.offset, offset) << pattern << ": " << c.error.message;
  EXPECT_EQ(c.error.message, message) << pattern;
}

TEST(Regex, Example6NamedGroupCapture) {
  const char* p = "^/u/(?P<user>[a-z0-9_]{1,32})$";
  auto r = run(p, "/u/alice_01");
  ASSERT_TRUE(r.matched);
  EXPECT_EQ(r.groups[0], "alice_01");
  EXPECT_FALSE(matches(p, "/u/Alice"));
  EXPECT_FALSE(matches(p, "/u/"));
  EXPECT_FALSE(matches(p, "/u/" + std::string(33, 'a')));
  EXPECT_TRUE(matches(p, "/u/" + std::string(32, 'a')));
  EXPECT_FALSE(matches(p, "/x/u/alice"));
  auto c = compile_regex(p);
  EXPECT_EQ(c.regex->group_names, std::vector<std::string>{"user"});
}

TEST(Regex, AnchoringRules) {
  EXPECT_TRUE(matches("/a", "/b/a")) << "without ^ the match may start anywhere";
  EXPECT_FALSE(matches("^/a", "/b/a"));
  EXPECT_TRUE(matches("^/a", "/a/b")) << "without $ the match may end anywhere";
  EXPECT_FALSE(matches("^/a$", "/a/b"));
  EXPECT_TRUE(matches("^$", ""));
  EXPECT_FALSE(matches("^$", "x"));
  EXPECT_TRUE(matches("", "anything"));
  EXPECT_TRUE(matches("x$|^y", "ax"));
  EXPECT_TRUE(matches("x$|^y", "yb"));
  EXPECT_FALSE(matches("x$|^y", "ay"));
  EXPECT_FALSE(matches("^(a|b)c", "xbc"));
  EXPECT_FALSE(matches("a$", "a\n")) << "$ is the end of the path only";
}

TEST(Regex, LiteralsDotAndEscapes) {
  EXPECT_TRUE(matches(R"(^/a\.php$)", "/a.php"));
  EXPECT_FALSE(matches(R"(^/a\.php$)", "/aXphp"));
  EXPECT_TRUE(matches("^/a.php$", "/aXphp"));
  EXPECT_FALSE(matches("^.$", "\n"));
  EXPECT_TRUE(matches(R"(^\x41\t\n$)", "A\t\n"));
  EXPECT_TRUE(matches(R"(^\x{41}$)", "A"));
  EXPECT_TRUE(matches(R"(^\/\-\{\}\[\]\(\)\*\+\?\|\^\$\\$)", "/-{}[]()*+?|^$\\"));
  EXPECT_TRUE(matches("^/é$", "/é")) << "non-ASCII literals match their UTF-8 bytes";
  EXPECT_TRUE(matches("^a{$", "a{")) << "a `{` that is not a repetition is literal (RE2)";
  EXPECT_TRUE(matches("^a{,3}$", "a{,3}"));
}

TEST(Regex, PerlClasses) {
  EXPECT_TRUE(matches(R"(^\d+$)", "0123456789"));
  EXPECT_FALSE(matches(R"(^\d$)", "a"));
  EXPECT_TRUE(matches(R"(^\D$)", "a"));
  EXPECT_TRUE(matches(R"(^\w+$)", "az_AZ09"));
  EXPECT_FALSE(matches(R"(^\w$)", "-"));
  EXPECT_TRUE(matches(R"(^\W$)", "-"));
  EXPECT_TRUE(matches(R"(^\s\s\s\s\s$)", " \t\n\r\f"));
  EXPECT_FALSE(matches(R"(^\s$)", "\v")) << "RE2's \\s has no \\v";
  EXPECT_TRUE(matches(R"(^\S$)", "x"));
}

TEST(Regex, BracketClasses) {
  EXPECT_TRUE(matches("^[a-c]+$", "abcabc"));
  EXPECT_FALSE(matches("^[a-c]$", "d"));
  EXPECT_TRUE(matches("^[^a-c]$", "d"));
  EXPECT_TRUE(matches("^[^a]$", "\n")) << "negated classes match newline (RE2)";
  EXPECT_TRUE(matches("^[]a]+$", "]a]"));
  EXPECT_TRUE(matches("^[a-]+$", "-a"));
  EXPECT_TRUE(matches(R"(^[\d.]+$)", "1.2.3"));
  EXPECT_TRUE(matches(R"(^[\]\\]+$)", "]\\"));
  EXPECT_TRUE(matches(R"(^[^\d]$)", "x"));
  EXPECT_TRUE(matches("^[[:alpha:]]+$", "abcXYZ"));
  EXPECT_FALSE(matches("^[[:alpha:]]$", "1"));
  EXPECT_TRUE(matches("^[[:^digit:]]$", "x"));
  EXPECT_TRUE(matches("^[.]$", "."));
  EXPECT_FALSE(matches("^[.]$", "x"));
}

TEST(Regex, Repetitions) {
  EXPECT_TRUE(matches("^a{3}$", "aaa"));
  EXPECT_FALSE(matches("^a{3}$", "aa"));
  EXPECT_TRUE(matches("^a{2,}$", "aaaaa"));
  EXPECT_FALSE(matches("^a{2,}$", "a"));
  EXPECT_TRUE(matches("^a{0}b$", "b"));
  EXPECT_TRUE(matches("^(ab){1,2}$", "abab"));
  EXPECT_FALSE(matches("^(ab){1,2}$", "ababab"));
  EXPECT_TRUE(matches("^a?b+c*$", "bbb"));
  EXPECT_TRUE(matches("^a{1000}$", std::string(1000, 'a')));
}

TEST(Regex, LeftmostFirstSubmatches) {
  auto greedy = run("(?P<a>a*)(?P<b>a*)", "aaa");
  EXPECT_EQ(greedy.groups[0], "aaa");
  EXPECT_EQ(greedy.groups[1], "");
  auto lazy = run("(?P<a>a*?)(?P<b>a*)", "aaa");
  EXPECT_EQ(lazy.groups[0], "");
  EXPECT_EQ(lazy.groups[1], "aaa");
  EXPECT_EQ(run("(?P<g>foo|foobar)", "foobar").groups[0], "foo");
  auto perl = run("(?P<x>a|ab)(?P<y>c|bcd)", "abcd");
  EXPECT_EQ(perl.groups[0], "a");
  EXPECT_EQ(perl.groups[1], "bcd");
  EXPECT_EQ(run("(?P<g>b+)", "abbbcbb").groups[0], "bbb") << "leftmost start wins";
  EXPECT_EQ(run("(?P<g>b+?)", "abbb").groups[0], "b");
  EXPECT_EQ(run("^(?:(?P<last>[a-z])/)+$", "a/b/c/").groups[0], "c");
}

TEST(Regex, GroupSyntaxes) {
  auto r = run("^/(?<year>\\d{4})/(?:x|y)/(z)/(?P<slug>[^/]+)$", "/2024/y/z/hello");
  ASSERT_TRUE(r.matched);
  EXPECT_EQ(r.groups.size(), 2u) << "only named groups are captured";
  EXPECT_EQ(r.groups[0], "2024");
  EXPECT_EQ(r.groups[1], "hello");
  auto opt = run("^/x(?P<g>y)?$", "/x");
  ASSERT_TRUE(opt.matched);
  EXPECT_FALSE(opt.groups[0].has_value());
}

TEST(Regex, ErrorsCarryByteOffsets) {
  expect_error("/a(bc", 2, "missing closing `)`");
  expect_error("/abc)", 4, "unexpected `)`");
  expect_error("/[a-", 1, "missing closing `]`");
  expect_error("/[z-a]", 2, "invalid character class range `z-a`");
  expect_error("/a**", 3, "bad repetition operator: repeated repetition");
  expect_error("*a", 0, "missing argument to repetition operator `*`");
  expect_error("/(+)", 2, "missing argument to repetition operator `+`");
  expect_error("{2}", 0, "missing argument to repetition operator");
  expect_error("/a{1001}", 2, "bad repetition count: at most 1000");
  expect_error("/a{3,2}", 2, "bad repetition range: max is less than min");
  expect_error("/(?=a)", 1, "lookaround is not supported (linear-time regex)");
  expect_error("/(?<!a)", 1, "lookaround is not supported (linear-time regex)");
  expect_error("/(?>a)", 1, "atomic groups are not supported");
  expect_error("/(?i)a", 1, "unsupported group syntax; use (?:…), (?P<name>…) or (?<name>…)");
  expect_error("/(a)\\1", 4, "backreferences are not supported");
  expect_error("/\\bx", 1, "unsupported escape sequence `\\b`");
  expect_error("/x\\", 2, "trailing backslash at end of pattern");
  expect_error("/(?P<1a>x)", 5, "invalid group name `1a`");
  expect_error("(?P<a>x)(?P<a>y)", 12, "duplicate group name `a`");
  expect_error("/(?P<a", 1, "missing `>` after group name");
  expect_error("/[é]", 2, "non-ASCII characters are not supported inside `[...]`");
  expect_error("/\\x80", 1, "non-ASCII escapes are not supported; write the character itself");
  expect_error("/[[:foo:]]", 2, "invalid character class `[:foo:]`");
}

TEST(Regex, Limits) {
  std::string groups;
  for (int i = 0; i < 16; ++i) groups += "(?P<g" + std::to_string(i) + ">x)";
  EXPECT_TRUE(compile_regex(groups).ok());
  const std::size_t at = groups.size() + 4;
  expect_error(groups + "(?P<g16>x)", at, "more than 16 named groups");

  const std::string name64(64, 'n');
  EXPECT_TRUE(compile_regex("(?P<" + name64 + ">x)").ok());
  expect_error("(?P<" + name64 + "n>x)", 4, "group name longer than 64 bytes");

  expect_error("(a{1000}){1000}", 9, "regex program larger than 1 MiB");
  expect_error(std::string(4097, 'a'), 4096, "regex longer than 4096 bytes");
  expect_error(std::string(201, '(') + std::string(201, ')'), 201, "regex nested too deeply");
  auto big = compile_regex("[a-z]{1000}x{1000}");
  ASSERT_TRUE(big.ok());
  EXPECT_LE(big.regex->code.size() * 4, kMaxProgramBytes);
}

// Pathological patterns for backtracking engines stay linear: the VM does at most one step per
// instruction per thread list and position.
void expect_linear(std::string_view pattern, char fill, std::string_view tail, bool expected) {
  const std::string small = std::string(1000, fill) + std::string(tail);
  const std::string large = std::string(10000, fill) + std::string(tail);
  const Run a = run(pattern, small);
  const Run b = run(pattern, large);
  EXPECT_EQ(a.matched, expected) << pattern;
  EXPECT_EQ(b.matched, expected) << pattern;
  // Bound: two visits (list insertion + step) per instruction per position.
  EXPECT_LE(b.steps, 2 * b.instructions * (large.size() + 1)) << pattern;
  // Ten times the input costs about ten times the steps, not a hundred or 2^n.
  EXPECT_LE(b.steps, 11 * a.steps) << pattern;
}

TEST(Regex, PathologicalPatternsRunInLinearSteps) {
  expect_linear("(a*)*b", 'a', "", false);
  expect_linear("^(a*)*b$", 'a', "", false);
  expect_linear("(a|aa)*c", 'a', "", false);
  expect_linear("(x+x+)+y", 'x', "", false);
  expect_linear("^(a?){30}a{30}$", 'a', "", false);
  expect_linear("(?P<g>(a|a)*)b", 'a', "b", true);
}

TEST(RegexVerifier, AcceptsCompiledPrograms) {
  auto c = compile_regex("^/(?P<a>[a-z]+)/(?P<b>\\d*)$");
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(verify_regex_program(c.regex->code, 2).ok());
  EXPECT_FALSE(verify_regex_program(c.regex->code, 1).ok()) << "group count mismatch";
}

TEST(RegexVerifier, RejectsMalformedPrograms) {
  auto c = compile_regex("^(?P<a>[a-z_]|x)+$");
  ASSERT_TRUE(c.ok());
  const auto good = c.regex->code;
  auto expect_bad = [](std::vector<std::uint32_t> code, const char* what) {
    EXPECT_FALSE(verify_regex_program(code, 1).ok()) << what;
    EXPECT_FALSE(Matcher::load(code, 1).ok()) << what;
  };
  auto code = good;
  code[0] = 0;
  expect_bad(code, "bad magic");
  code = good;
  code.pop_back();
  expect_bad(code, "truncated");
  expect_bad({}, "empty");
  const std::size_t first = prog::kHeaderWords;
  code = good;
  code[first] = 0x42;
  expect_bad(code, "unknown opcode");
  // Find instructions by opcode and corrupt their operands.
  auto corrupt = [&](prog::Op op, std::uint32_t operand, const char* what) {
    auto bad = good;
    for (std::size_t pc = 0; pc < good[1]; ++pc) {
      if (prog::op_of(bad[first + 2 * pc]) == op) {
        bad[first + 2 * pc] = prog::word_a(op, operand);
        expect_bad(bad, what);
        return;
      }
    }
    ADD_FAILURE() << "no instruction for " << what;
  };
  corrupt(prog::Op::Split, 100000, "branch out of range");
  corrupt(prog::Op::Save, 7, "capture slot out of range");
  corrupt(prog::Op::Class, 9, "class out of range");
  corrupt(prog::Op::ByteRange, 'z' | 'a' << 8, "inverted byte range");
  code = good;
  code[4] = 2;
  expect_bad(code, "unknown flags");
  // The last instruction (MATCH) replaced by one that continues past the end.
  code = good;
  code[first + 2 * (good[1] - 1)] = prog::word_a(prog::Op::BeginText, 0);
  expect_bad(code, "falls off the end");
}

}  // namespace
}  // namespace flux::snapshot::regex
