// Every compile error of expressions.md §10 (code, message, span, helps/notes), plus the other
// codes FX0807/FX0809/FX0810/FX0811/FX0813/FX0814/FX0899, the context rules of §5.8 and the
// redirect-target rules of config-reference.md §7.2 (FX0406).
#include <gtest/gtest.h>

#include "expr_test_util.hpp"

namespace flux::compiler::expr {
namespace {

using test::compile;
using test::Outcome;
using test::when;

// Checks that `o` failed with exactly one error, and that error's code, message and span.
void expect_error(const Outcome& o, std::string_view text, const char* code, const char* message,
                  std::string_view span_text) {
  ASSERT_FALSE(o.compiled.has_value()) << text;
  const ExprDiagnostic* d = o.only_error();
  ASSERT_NE(d, nullptr) << "expected one error for " << text << ", got " << o.diags.size();
  EXPECT_EQ(d->code, code) << text << ": " << d->message;
  EXPECT_EQ(d->message, message) << text;
  EXPECT_FALSE(d->warning);
  ASSERT_LE(d->begin, d->end);
  ASSERT_LE(d->end, text.size());
  EXPECT_EQ(text.substr(d->begin, d->end - d->begin), span_text) << text << ": " << d->message;
}

void expect_when(std::string_view text, const char* code, const char* message,
                 std::string_view span_text) {
  expect_error(when(text), text, code, message, span_text);
}

// ---- §10 table ----

TEST(ExprErrors, Fx0801IntComparedWithString) {
  const std::string_view t = R"(server_port == "443")";
  auto o = when(t);
  expect_error(o, t, "FX0801", "cannot compare int with string", R"("443")");
  EXPECT_EQ(o.diags[0].helps, std::vector<std::string>{"write server_port == 443"});
}

TEST(ExprErrors, Fx0802MissingOperandAtEnd) {
  const std::string_view t = "path ^= ";
  auto o = when(t);
  expect_error(o, t, "FX0802",
               "expected a string literal or variable after `^=`, found end of expression", "");
  EXPECT_EQ(o.diags[0].begin, t.size());
}

TEST(ExprErrors, Fx0803UnknownVariableWithSuggestion) {
  const std::string_view t = R"(heder.x-debug == "1")";
  auto o = when(t);
  expect_error(o, t, "FX0803", "unknown variable `heder.x-debug`", "heder");
  EXPECT_EQ(o.diags[0].helps, std::vector<std::string>{"did you mean `header.x-debug`?"});
}

TEST(ExprErrors, Fx0812HeaderInRedirect) {
  const std::string_view t = "https://{header.host}/x";
  auto o = compile(t, Site::RedirectTarget);
  expect_error(o, t, "FX0812", "`header.*` variables are not allowed in redirect targets",
               "header.host");
  EXPECT_EQ(o.diags[0].helps, std::vector<std::string>{"use {host}"});
}

TEST(ExprErrors, Fx0804ExistsOfSimpleVariable) {
  expect_when("exists(path)", "FX0804",
              "exists() takes header.NAME, cookie.NAME, or arg.NAME, found `path`", "path");
}

TEST(ExprErrors, Fx0805MixedList) {
  expect_when(R"(method in ["GET", 1])", "FX0805", "list mixes string and int elements", "1");
}

TEST(ExprErrors, Fx0806UnknownRegexGroup) {
  const std::string_view t = "/p/{route.regex.id}";
  auto o = compile(t, Site::RewriteTemplate, std::vector<std::string>{"user"});
  expect_error(o, t, "FX0806", "path_regex has no named group `id`", "route.regex.id");
  EXPECT_EQ(o.diags[0].notes, std::vector<std::string>{"groups defined: user"});
}

TEST(ExprErrors, Fx0808BareStringPredicate) {
  const std::string_view t = "cookie.session";
  auto o = compile(t, Site::CacheBypassWhen);
  expect_error(o, t, "FX0808",
               "a predicate must be a bool expression; `cookie.session` is a string",
               "cookie.session");
  EXPECT_EQ(o.diags[0].helps,
            std::vector<std::string>{"write exists(cookie.session) or compare it with a value"});
}

// ---- other codes ----

TEST(ExprErrors, Fx0807ConstantConditions) {
  expect_when(R"("a" == "b")", "FX0807", "constant condition: both sides of `==` are literals",
              R"("a" == "b")");
  expect_when(R"(exists(arg.x) || true)", "FX0807",
              "constant condition: the predicate is always true", "exists(arg.x) || true");
  expect_when(R"(exists(arg.x) && false)", "FX0807",
              "constant condition: the predicate is always false", "exists(arg.x) && false");
  expect_when(R"(exists(arg.x) && true)", "FX0807", "constant condition: `true` has no effect here",
              "true");
  expect_when("!true", "FX0807", "constant condition: the predicate is always false", "!true");
  expect_when(R"("GET" in ["GET"])", "FX0807",
              "constant condition: the left side of `in` is a literal", R"("GET" in ["GET"])");
}

TEST(ExprErrors, Fx0809Unterminated) {
  expect_error(compile("{host", Site::RequestHeader), "{host", "FX0809", "unclosed `{` in template",
               "{host");
  expect_when(R"(path == "abc)", "FX0809", "unterminated string literal", R"("abc)");
  expect_when(R"(path == 'abc)", "FX0809", "unterminated string literal", "'abc");
  expect_when(R"((path == "a")", "FX0809", "unclosed `(`", R"((path == "a")");
  auto o = compile("a}b{host}", Site::RequestHeader);
  expect_error(o, "a}b{host}", "FX0809", "unmatched `}` in template", "}");
  EXPECT_EQ(o.diags[0].helps, std::vector<std::string>{"write `}}` for a literal `}`"});
}

TEST(ExprErrors, Fx0810Limits) {
  const std::string big(4097, 'a');
  auto o = compile(big, Site::RequestHeader);
  ASSERT_FALSE(o.compiled);
  EXPECT_EQ(o.diags[0].code, "FX0810");
  EXPECT_EQ(o.diags[0].message, "expression longer than 4096 bytes");

  std::string deep = "exists(arg.a)";
  for (int i = 0; i < 33; ++i) deep = "!" + deep;
  expect_when(deep, "FX0810", "expression nesting deeper than 32", "!");

  std::string items;
  for (int i = 0; i < 65; ++i) items += (i ? ", " : "") + std::to_string(i);
  const std::string list = "server_port in [" + items + "]";
  expect_when(list, "FX0810", "a list needs 1 to 64 items, found 65", "[" + items + "]");

  const std::string lit = "path == \"" + std::string(1025, 'x') + "\"";
  expect_when(lit, "FX0810", "string literal longer than 1024 bytes", lit.substr(8));

  expect_when("server_port == 4294967296", "FX0810", "integer literal out of range (0..4294967295)",
              "4294967296");

  std::string many;
  for (int i = 0; i < 33; ++i) many += "{host}";
  expect_error(compile(many, Site::RequestHeader), many, "FX0810",
               "more than 32 placeholders in one template", "{host}");

  std::string nodes;
  for (int i = 0; i < 90; ++i) nodes += (i ? " || " : "") + std::string(R"(path == "x")");
  auto n = when(nodes);
  ASSERT_FALSE(n.compiled);
  EXPECT_EQ(n.diags[0].code, "FX0810");
  EXPECT_EQ(n.diags[0].message, "expression has more than 256 nodes");
}

TEST(ExprErrors, Fx0810NestingOfParens) {
  std::string deep = R"(path == "x")";
  for (int i = 0; i < 33; ++i) deep = "(" + deep + ")";
  auto o = when(deep);
  ASSERT_FALSE(o.compiled);
  EXPECT_EQ(o.diags[0].code, "FX0810");
}

TEST(ExprErrors, Fx0811ChainedComparison) {
  auto o = when(R"(path == host == "x")");
  expect_error(o, R"(path == host == "x")", "FX0811", "comparisons cannot be chained", R"(== "x")");
}

TEST(ExprErrors, Fx0813EmptyRightHandSide) {
  expect_when(R"(path ^= "")", "FX0813", "empty right-hand side for `^=`", R"("")");
  expect_when("path $= ''", "FX0813", "empty right-hand side for `$=`", "''");
  expect_when(R"(path *= "")", "FX0813", "empty right-hand side for `*=`", R"("")");
  expect_when(R"(has_cookie_prefix(""))", "FX0813", "has_cookie_prefix() needs a non-empty prefix",
              R"("")");
}

TEST(ExprErrors, Fx0814DuplicateListItem) {
  expect_when(R"(method in ["GET", "HEAD", "GET"])", "FX0814", "duplicate list item `\"GET\"`",
              R"("GET")");
  expect_when("server_port in [80, 443, 80]", "FX0814", "duplicate list item `80`", "80");
}

// ---- more FX0801 / FX0802 / FX0803 / FX0804 / FX0808 shapes ----

TEST(ExprErrors, TypeErrors) {
  auto o = when(R"(path == 443)");
  expect_error(o, "path == 443", "FX0801", "cannot compare string with int", "443");
  EXPECT_EQ(o.diags[0].helps, std::vector<std::string>{R"(write path == "443")"});
  expect_when(R"(server_port ^= "4")", "FX0801", "`^=` needs strings; `server_port` is an int",
              "server_port");
  expect_when(R"(server_port in ["80"])", "FX0801", "cannot compare int with a list of string",
              "server_port");
  expect_when("exists(arg.a) == true", "FX0802",
              "expected `&&`, `||` or end of expression, found `==`", "==");
  expect_when(R"(path == true)", "FX0801", "`true` cannot be compared; use the condition itself",
              "true");
  expect_when(R"(exists(arg.a) && server_port)", "FX0808",
              "a predicate must be a bool expression; `server_port` is an int", "server_port");
  expect_when(R"("x")", "FX0808", R"(a predicate must be a bool expression; `"x"` is a string)",
              R"("x")");
}

TEST(ExprErrors, SyntaxErrors) {
  expect_when("", "FX0802", "expected a condition, found end of expression", "");
  expect_when(R"(path = "x")", "FX0802", "unexpected character `=`", "=");
  expect_when(R"(path == "x" &&)", "FX0802",
              "expected a condition after `&&`, found end of expression", "");
  expect_when(R"(path "x")", "FX0802",
              "expected an operator (`==`, `!=`, `^=`, `$=`, `*=`, `in`, `!in`) after `path`, "
              "found `\"x\"`",
              R"("x")");
  expect_when(R"(method in "GET")", "FX0802", "expected a list `[…]` after `in`, found `\"GET\"`",
              R"("GET")");
  expect_when(R"(method in ["GET" "HEAD"])", "FX0802", "expected `,` or `]`, found `\"HEAD\"`",
              R"("HEAD")");
  expect_when(R"(path == "x"))", "FX0802", "unmatched `)`", ")");
  expect_when(R"(method inn ["GET"])", "FX0802",
              "expected `in` or an operator after `method`, found `inn`", "inn");
  expect_when(R"(method in [path])", "FX0802",
              "list items must be string or int literals, found `path`", "path");
  expect_when(R"(path == "\q")", "FX0802", R"(invalid escape `\q` in string literal)", R"(\q)");
  expect_when(R"(path == "\x80")", "FX0802", R"(invalid escape `\x` in string literal)", R"(\x)");
}

TEST(ExprErrors, TemplateSyntaxErrors) {
  expect_error(compile("a{}", Site::RequestHeader), "a{}", "FX0802",
               "expected a variable after `{`, found `}`", "{}");
  expect_error(compile("{ host }", Site::RequestHeader), "{ host }", "FX0802",
               "spaces are not allowed inside `{…}`", " ");
  expect_error(compile("{hots}", Site::RequestHeader), "{hots}", "FX0803",
               "unknown variable `hots`", "hots");
}

TEST(ExprErrors, UnknownNamesAndCalls) {
  auto f = when("exist(header.x)");
  expect_error(f, "exist(header.x)", "FX0803", "unknown function `exist`", "exist");
  EXPECT_EQ(f.diags[0].helps, std::vector<std::string>{"did you mean `exists`?"});
  auto v = when(R"(hots == "a")");
  expect_error(v, R"(hots == "a")", "FX0803", "unknown variable `hots`", "hots");
  EXPECT_EQ(v.diags[0].helps, std::vector<std::string>{"did you mean `host`?"});
  expect_when(R"(route.regx.a == "x")", "FX0803", "unknown variable `route.regx.a`",
              "route.regx.a");
  expect_when(R"(header. == "x")", "FX0803", "unknown variable `header.`", "header.");
  expect_when("exists(header.a, header.b)", "FX0804", "exists() takes exactly one argument",
              "exists(header.a, header.b)");
  expect_when("has_cookie_prefix(path)", "FX0804",
              "has_cookie_prefix() takes a string literal, found `path`", "path");
  const std::string long_name = "header." + std::string(65, 'a');
  expect_when("exists(" + long_name + ")", "FX0810",
              ("name in `" + long_name + "` is longer than 64 bytes").c_str(), long_name);
}

// ---- context rules (§5.8) ----

TEST(ExprErrors, RedirectContextRules) {
  expect_error(compile("https://a.test/{cookie.x}", Site::RedirectTarget),
               "https://a.test/{cookie.x}", "FX0812",
               "`cookie.*` variables are not allowed in redirect targets", "cookie.x");
  expect_error(compile("https://a.test/{method}", Site::RedirectTarget), "https://a.test/{method}",
               "FX0812", "`method` is not allowed in redirect targets", "method");
  expect_error(compile("https://a.test/{remote_addr}", Site::RedirectTarget),
               "https://a.test/{remote_addr}", "FX0812",
               "`remote_addr` is not allowed in redirect targets", "remote_addr");
  EXPECT_TRUE(compile("https://{host}{uri}", Site::RedirectTarget).compiled);
  EXPECT_TRUE(compile("https://{host}:8443/p?{query}", Site::RedirectTarget).compiled);
}

TEST(ExprErrors, RedirectTargetRules) {
  auto expect406 = [](std::string_view t, const char* message, std::string_view span) {
    expect_error(compile(t, Site::RedirectTarget), t, "FX0406", message, span);
  };
  expect406("/relative", "redirect target must start with http:// or https://", "/relative");
  expect406("https://a.test/a b", "redirect target contains whitespace or a control character",
            "https://a.test/a b");
  expect406("https://{query}/", "`{query}` cannot be inside the authority of a redirect target",
            "query");
  expect406("https://a.test/{path}", "`/{path}` makes a `//` path; {path} already starts with `/`",
            "path");
  expect406("https://a.test//x", "redirect path contains `//`", "https://a.test//x");
  expect406("https://a.test/a/../b", "redirect path contains a `.` or `..` segment",
            "https://a.test/a/../b");
  expect406("https://a.test/a\\b", "redirect path contains `\\`", "https://a.test/a\\b");
  expect406("https:///x", "redirect target needs a valid host[:port] after the scheme, found ``",
            "https:///x");
  expect406("https://a.test:99999/",
            "redirect target needs a valid host[:port] after the scheme, "
            "found `a.test:99999`",
            "https://a.test:99999/");
}

TEST(ExprErrors, RewriteTemplateAllowsOnlyRegexGroups) {
  expect_error(compile("/x/{host}", Site::RewriteTemplate, std::vector<std::string>{"a"}),
               "/x/{host}", "FX0812",
               "rewrite_template may only use {route.regex.NAME}, found `host`", "host");
}

TEST(ExprErrors, RouteRegexNeedsPathRegex) {
  expect_error(compile("{route.regex.a}", Site::RequestHeader), "{route.regex.a}", "FX0806",
               "`route.regex.a` needs a route with `path_regex`", "route.regex.a");
  expect_error(
      compile(R"(route.regex.a == "x")", Site::CacheBypassWhen, std::vector<std::string>{"a"}),
      R"(route.regex.a == "x")", "FX0812",
      "`route.regex.*` variables are only allowed in the `when` of a route with "
      "`path_regex`",
      "route.regex.a");
  EXPECT_TRUE(
      compile(R"(route.regex.a == "x")", Site::RouteWhen, std::vector<std::string>{"a"}).compiled);
  auto none = compile(R"(route.regex.a == "x")", Site::RouteWhen, std::vector<std::string>{});
  ASSERT_FALSE(none.compiled);
  EXPECT_EQ(none.diags[0].notes, std::vector<std::string>{"path_regex defines no named groups"});
}

TEST(ExprErrors, CacheKeyNeedsPlaceholder) {
  expect_error(compile("static", Site::CacheKey), "static", "FX0812",
               "a cache key template must contain at least one placeholder", "static");
  expect_error(compile("{{x}}", Site::CacheKey), "{{x}}", "FX0812",
               "a cache key template must contain at least one placeholder", "{{x}}");
  EXPECT_TRUE(compile("{method}|{host}{path}?{arg.page}", Site::CacheKey).compiled);
}

TEST(ExprErrors, InvalidUtf8) {
  expect_when("path == \"\xff\"", "FX0802", "expression is not valid UTF-8", "path == \"\xff\"");
}

TEST(ExprErrors, SpansCountBytesNotCodePoints) {
  // `é` is two bytes: the span of `hots` must still be exact.
  const std::string_view t = R"(path == "é" && hots == "a")";
  expect_when(t, "FX0803", "unknown variable `hots`", "hots");
}

}  // namespace
}  // namespace flux::compiler::expr
