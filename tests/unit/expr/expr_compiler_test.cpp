// Compiler behaviour: the examples of expressions.md §9 compile, and canonical forms.
#include "compiler/expr/expr_compiler.hpp"

#include <gtest/gtest.h>

#include "expr_test_util.hpp"
#include "snapshot/expr/opcode.hpp"

namespace flux::compiler::expr {
namespace {

using test::compile;
using test::when;
namespace sx = snapshot::expr;

TEST(ExprCompiler, TemplateWithoutBraceIsLiteral) {
  auto o = compile("https://example.test/", Site::RedirectTarget);
  ASSERT_TRUE(o.compiled) << (o.diags.empty() ? "" : o.diags[0].message);
  EXPECT_TRUE(o.compiled->literal);
  EXPECT_EQ(o.compiled->canonical_source, "https://example.test/");
  EXPECT_TRUE(o.compiled->program.code.empty());
  EXPECT_TRUE(o.diags.empty());
}

TEST(ExprCompiler, Example1CanonicalHostRedirect) {
  auto o = compile("https://example.test{uri}", Site::RedirectTarget);
  ASSERT_TRUE(o.compiled);
  EXPECT_FALSE(o.compiled->literal);
  EXPECT_EQ(o.compiled->canonical_source, "https://example.test{uri}");
  const auto& p = o.compiled->program;
  EXPECT_EQ(p.kind, sx::Kind::Template);
  ASSERT_EQ(p.code.size(), 5u);
  EXPECT_EQ(p.code[0], sx::encode(sx::Op::PushStr, 0));
  EXPECT_EQ(p.code[1], sx::encode(sx::Op::Append, 0));
  EXPECT_EQ(p.code[2], sx::encode(sx::Op::Load, static_cast<std::uint32_t>(sx::Var::Uri)));
  EXPECT_EQ(p.code[3], sx::encode(sx::Op::Append, 0));
  EXPECT_EQ(p.code[4], sx::encode(sx::Op::Ret));
  EXPECT_EQ(p.strings, std::vector<std::string>{"https://example.test"});
  EXPECT_EQ(p.max_stack, 1);
}

TEST(ExprCompiler, Example2ForwardedHostHeader) {
  auto o = compile("{host}", Site::RequestHeader);
  ASSERT_TRUE(o.compiled);
  EXPECT_EQ(o.compiled->canonical_source, "{host}");
}

TEST(ExprCompiler, Example3LoggedInUsers) {
  auto o = when(R"(has_cookie_prefix("wordpress_logged_in_") || exists(header.authorization))");
  ASSERT_TRUE(o.compiled);
  EXPECT_TRUE(o.diags.empty());
  EXPECT_EQ(o.compiled->canonical_source,
            R"(has_cookie_prefix("wordpress_logged_in_") || exists(header.authorization))");
  const auto& p = o.compiled->program;
  ASSERT_EQ(p.code.size(), 5u);
  EXPECT_EQ(sx::opcode_of(p.code[0]), static_cast<std::uint8_t>(sx::Op::HasCookiePrefix));
  EXPECT_EQ(p.code[1], sx::encode(sx::Op::JumpIfTrueKeep, 3));
  EXPECT_EQ(p.code[2], sx::encode_ref(sx::RefKind::Header, 1));
  EXPECT_EQ(p.code[3], sx::encode(sx::Op::Exists));
  EXPECT_EQ(p.max_stack, 1);
}

TEST(ExprCompiler, Example4WordPressApiBypass) {
  auto o = compile(R"(method !in ["GET", "HEAD"] || arg.preview == "true" || path ^= "/wp-json/")",
                   Site::CacheBypassWhen);
  ASSERT_TRUE(o.compiled);
  EXPECT_EQ(o.compiled->canonical_source,
            R"(method !in ["GET", "HEAD"] || arg.preview == "true" || path ^= "/wp-json/")");
  const auto& p = o.compiled->program;
  ASSERT_EQ(p.sets.size(), 1u);
  EXPECT_EQ(p.sets[0].strings, (std::vector<std::string>{"GET", "HEAD"}));
  EXPECT_EQ(p.max_stack, 2);
}

TEST(ExprCompiler, Example5NoStoreStreams) {
  auto o =
      compile(R"(header.accept *= "text/event-stream" || (scheme == "http" && server_port != 80))",
              Site::CacheNoStoreWhen);
  ASSERT_TRUE(o.compiled);
  EXPECT_EQ(o.compiled->canonical_source,
            R"(header.accept *= "text/event-stream" || scheme == "http" && server_port != 80)");
  EXPECT_EQ(o.compiled->program.ints, std::vector<std::uint32_t>{80});
}

TEST(ExprCompiler, Example6PrettyUrlRewrite) {
  auto o = compile("/profile.php/{route.regex.user}", Site::RewriteTemplate,
                   std::vector<std::string>{"user"});
  ASSERT_TRUE(o.compiled);
  const auto& p = o.compiled->program;
  EXPECT_EQ(p.code[2], sx::encode_ref(sx::RefKind::RouteRegex, 1));
  EXPECT_EQ(p.code[3], sx::encode(sx::Op::Append, 0)) << "rewrites are not escaped";
}

TEST(ExprCompiler, RedirectEscapesArgsByPosition) {
  auto o = compile("https://a.test/s/{arg.q}?x={arg.q}&u={uri}", Site::RedirectTarget);
  ASSERT_TRUE(o.compiled) << o.diags[0].message;
  const auto& c = o.compiled->program.code;
  EXPECT_EQ(c[3],
            sx::encode(sx::Op::Append, static_cast<std::uint32_t>(sx::AppendMode::PathSegment)));
  EXPECT_EQ(c[7],
            sx::encode(sx::Op::Append, static_cast<std::uint32_t>(sx::AppendMode::QueryComponent)));
  EXPECT_EQ(c[11], sx::encode(sx::Op::Append, static_cast<std::uint32_t>(sx::AppendMode::Raw)));
}

TEST(ExprCompiler, TemplateBraceEscapes) {
  auto o = compile("{{{host}}}", Site::ResponseHeader);
  ASSERT_TRUE(o.compiled);
  EXPECT_EQ(o.compiled->canonical_source, "{{{host}}}");
  EXPECT_EQ(o.compiled->program.strings, (std::vector<std::string>{"{", "}"}));
}

TEST(ExprCompiler, HeaderNamesAreLowercased) {
  auto o = when(R"(header.X-Debug == "1")");
  ASSERT_TRUE(o.compiled);
  EXPECT_EQ(o.compiled->canonical_source, R"(header.x-debug == "1")");
}

TEST(ExprCompiler, KeywordsAreReservedOnlyWhereExpected) {
  EXPECT_TRUE(when(R"(header.in == "x")").compiled);
  EXPECT_TRUE(when(R"(exists(header.true) && cookie.exists != "in")").compiled);
  EXPECT_TRUE(when(R"(arg.in in ["in"])").compiled);
}

TEST(ExprCompiler, NotInMayBeWrittenWithASpace) {
  auto o = when(R"(method ! in ["GET"])");
  ASSERT_TRUE(o.compiled);
  EXPECT_EQ(o.compiled->canonical_source, R"(method !in ["GET"])");
}

TEST(ExprCompiler, PrecedenceNotAndOr) {
  auto o = when(R"(!exists(arg.a) && path == "/" || !(method == "GET"))");
  ASSERT_TRUE(o.compiled);
  EXPECT_EQ(o.compiled->canonical_source, R"(!exists(arg.a) && path == "/" || !(method == "GET"))");
  auto p = when(R"(!(exists(arg.a) || path == "/") && query != '')");
  ASSERT_TRUE(p.compiled);
  EXPECT_EQ(p.compiled->canonical_source, R"(!(exists(arg.a) || path == "/") && query != "")");
}

TEST(ExprCompiler, StringEscapesAndRawStrings) {
  auto o = when(R"(header.x == "a\"b\\c\n\t\x41" || header.y == 'r\aw"')");
  ASSERT_TRUE(o.compiled);
  EXPECT_EQ(o.compiled->canonical_source, R"(header.x == "a\"b\\c\n\tA" || header.y == "r\\aw\"")");
}

TEST(ExprCompiler, CanonicalFormRecompilesToSameProgram) {
  for (const char* src : {R"(method !in ["GET", "HEAD"] || arg.preview == "true")",
                          R"(!(a.b == "x"))", R"(('x' $= path) && server_port in [443, 80, 8443])",
                          R"(!!exists(cookie.s) || host *= "\x01")"}) {
    auto first = when(src);
    if (!first.compiled) continue;  // `a.b` is not a variable: not part of this property
    auto again = when(first.compiled->canonical_source);
    ASSERT_TRUE(again.compiled) << first.compiled->canonical_source;
    EXPECT_EQ(again.compiled->program, first.compiled->program) << src;
  }
}

TEST(ExprCompiler, LargeListsAreSortedSets) {
  auto o = when(R"(server_port in [9, 8, 7, 6, 5, 4, 3, 2, 1, 10])");
  ASSERT_TRUE(o.compiled);
  EXPECT_EQ(o.compiled->program.sets[0].ints,
            (std::vector<std::uint32_t>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));
  EXPECT_EQ(o.compiled->canonical_source, R"(server_port in [9, 8, 7, 6, 5, 4, 3, 2, 1, 10])");
}

TEST(ExprCompiler, BarePredicateLiteralWarns) {
  auto o = when("true");
  ASSERT_TRUE(o.compiled);
  ASSERT_EQ(o.diags.size(), 1u);
  EXPECT_EQ(o.diags[0].code, "FX0912");
  EXPECT_TRUE(o.diags[0].warning);
  EXPECT_EQ(o.diags[0].message, "condition is always true");
  auto f = when(" false ");
  ASSERT_TRUE(f.compiled);
  EXPECT_EQ(f.diags[0].message, "condition is always false");
  EXPECT_EQ(f.diags[0].begin, 1u);
  EXPECT_EQ(f.diags[0].end, 6u);
}

TEST(ExprCompiler, WhitespaceIncludingNewlinesIsAllowed) {
  EXPECT_TRUE(when("path == \"/\"\n  &&\tmethod == \"GET\"").compiled);
}

TEST(ExprCompiler, FormMustMatchSite) {
  std::vector<ExprDiagnostic> diags;
  EXPECT_FALSE(compile_expr("{host}", Form::Predicate, Context{Site::RequestHeader, {}}, diags));
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].code, "FX0899");
}

}  // namespace
}  // namespace flux::compiler::expr
