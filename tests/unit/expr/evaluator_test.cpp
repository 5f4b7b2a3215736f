// Evaluation semantics (expressions.md §3, §4, §6): absent vs empty, short-circuit, in/!in,
// exists, has_cookie_prefix, request variables, template escaping in redirects, output cap.
#include "runtime/expr/evaluator.hpp"

#include <gtest/gtest.h>

#include <random>

#include "expr_test_util.hpp"
#include "runtime/expr/standard_vars.hpp"
#include "runtime/expr/two_way.hpp"
#include "snapshot/regex/matcher.hpp"
#include "snapshot/regex/regex.hpp"

namespace flux::runtime::expr {
namespace {

using compiler::expr::Site;
namespace cx = compiler::expr;

// Keeps the compiled data alive next to the loaded program.
struct Loaded {
  snapshot::expr::ExprProgramData data;
  std::optional<Program> program;
};

std::unique_ptr<Loaded> load(std::string_view text, Site site,
                             std::optional<std::vector<std::string>> groups = std::nullopt) {
  auto o = cx::test::compile(text, site, std::move(groups));
  EXPECT_TRUE(o.compiled) << text << ": " << (o.diags.empty() ? "" : o.diags[0].message);
  auto l = std::make_unique<Loaded>();
  if (!o.compiled) return l;
  l->data = std::move(o.compiled->program);
  auto p = Program::load(l->data);
  EXPECT_TRUE(p.ok()) << p.error().message;
  if (p.ok()) l->program.emplace(std::move(p.value()));
  return l;
}

struct Request {
  std::string target = "/";
  std::vector<HeaderField> headers;
  std::string method = "GET";
  std::uint32_t port = 443;
  std::string scheme = "https";

  StandardRequestVars vars(RouteCaptures route = {}) const {
    RequestInfo info{scheme, "example.test", method, target, "192.0.2.7", port, headers};
    return StandardRequestVars(info, route);
  }
};

bool eval(std::string_view predicate, const Request& r) {
  auto l = load(predicate, Site::RouteWhen);
  if (!l->program) return false;
  return evaluate_predicate(*l->program, r.vars());
}

std::string render(std::string_view tmpl, const Request& r, Site site = Site::RequestHeader) {
  auto l = load(tmpl, site);
  std::string out;
  if (l->program) EXPECT_TRUE(render_template(*l->program, r.vars(), out));
  return out;
}

TEST(ExprEval, AbsentIsDistinctFromEmpty) {
  Request none;
  Request empty;
  empty.headers = {{"X-A", ""}};
  EXPECT_FALSE(eval(R"(header.x-a == "")", none));
  EXPECT_TRUE(eval(R"(header.x-a == "")", empty));
  EXPECT_TRUE(eval(R"(header.x-a != "v")", none)) << "absent is unequal to every literal";
  EXPECT_FALSE(eval(R"(header.x-a ^= "v")", none));
  EXPECT_FALSE(eval(R"(header.x-a $= "v")", none));
  EXPECT_FALSE(eval(R"(header.x-a *= "v")", none));
  EXPECT_FALSE(eval(R"(header.x-a in ["v", ""])", none));
  EXPECT_TRUE(eval(R"(header.x-a !in ["v", ""])", none));
  EXPECT_TRUE(eval(R"(header.x-a in ["v", ""])", empty));
  EXPECT_FALSE(eval("exists(header.x-a)", none));
  EXPECT_TRUE(eval("exists(header.x-a)", empty));
  EXPECT_FALSE(eval(R"("v" ^= header.x-a)", none)) << "absent on the right side too";
  EXPECT_EQ(render("[{header.x-a}]", none), "[]") << "absent expands to \"\" in templates";
}

TEST(ExprEval, StringOperators) {
  Request r;
  r.target = "/wp-json/v2/posts?x=1";
  EXPECT_TRUE(eval(R"(path ^= "/wp-json/")", r));
  EXPECT_TRUE(eval(R"(path $= "/posts")", r));
  EXPECT_TRUE(eval(R"(uri *= "posts?x")", r));
  EXPECT_FALSE(eval(R"(path *= "?x")", r));
  EXPECT_TRUE(eval(R"(query == "x=1")", r));
  EXPECT_TRUE(eval(R"(uri == "/wp-json/v2/posts?x=1")", r));
  EXPECT_TRUE(eval(R"(host == "example.test" && scheme == "https")", r));
  EXPECT_TRUE(eval(R"(remote_addr == "192.0.2.7")", r));
  EXPECT_TRUE(eval(R"(path != "/")", r));
  EXPECT_FALSE(eval(R"(method == "get")", r)) << "byte comparison, no case folding";
}

TEST(ExprEval, MembershipSmallAndLargeLists) {
  Request r;
  r.method = "PATCH";
  EXPECT_TRUE(eval(R"(method !in ["GET", "HEAD"])", r));
  EXPECT_TRUE(eval(R"(method in ["A", "B", "C", "D", "E", "F", "G", "H", "PATCH", "Z"])", r));
  EXPECT_FALSE(eval(R"(method in ["A", "B", "C", "D", "E", "F", "G", "H", "I", "Z"])", r));
  r.port = 8443;
  EXPECT_TRUE(eval("server_port in [80, 443, 8080, 8443, 1, 2, 3, 4, 5]", r));
  EXPECT_FALSE(eval("server_port in [80, 443, 8080, 1, 2, 3, 4, 5, 6]", r));
  EXPECT_TRUE(eval("server_port !in [80, 443]", r));
  EXPECT_TRUE(eval("server_port == 8443 && server_port != 80", r));
}

// Counts lookups, to observe short-circuit evaluation.
class CountingVars final : public RequestVars {
 public:
  std::string_view simple(snapshot::expr::Var) const override { return "x"; }
  std::uint32_t server_port() const override { return 80; }
  std::optional<std::string_view> header(std::string_view name) const override {
    ++lookups;
    if (name == "a") return "1";
    return std::nullopt;
  }
  std::optional<std::string_view> cookie(std::string_view) const override { return std::nullopt; }
  std::optional<std::string_view> arg(std::string_view) const override { return std::nullopt; }
  std::string_view route_regex(std::string_view) const override { return {}; }
  bool has_cookie_prefix(std::string_view) const override { return false; }
  mutable int lookups = 0;
};

TEST(ExprEval, ShortCircuit) {
  auto or_ = load("exists(header.a) || exists(header.b) || exists(header.c)", Site::RouteWhen);
  CountingVars v;
  EXPECT_TRUE(evaluate_predicate(*or_->program, v));
  EXPECT_EQ(v.lookups, 1);
  auto and_ = load("exists(header.b) && exists(header.a) && exists(header.c)", Site::RouteWhen);
  CountingVars w;
  EXPECT_FALSE(evaluate_predicate(*and_->program, w));
  EXPECT_EQ(w.lookups, 1);
  auto mixed = load("exists(header.b) && exists(header.c) || !exists(header.a)", Site::RouteWhen);
  CountingVars x;
  EXPECT_FALSE(evaluate_predicate(*mixed->program, x));
  EXPECT_EQ(x.lookups, 2) << "b fails the &&, then the || evaluates !exists(a)";
}

TEST(ExprEval, NotAndPrecedence) {
  Request r;
  EXPECT_TRUE(eval(R"(!(path == "/x") && !exists(arg.a))", r));
  EXPECT_TRUE(eval(R"(path == "/x" && exists(arg.a) || path == "/")", r));
  EXPECT_FALSE(eval(R"(path == "/x" && (exists(arg.a) || path == "/"))", r));
  EXPECT_TRUE(eval(R"(!!(path == "/"))", r));
}

TEST(ExprEval, BarePredicateLiterals) {
  Request r;
  EXPECT_TRUE(eval("true", r));
  EXPECT_FALSE(eval("false", r));
}

TEST(ExprEval, HeadersJoinLinesAndMatchCaseInsensitively) {
  Request r;
  r.headers = {{"Accept", "text/html"},
               {"X-Other", "1"},
               {"ACCEPT", "text/event-stream"},
               {"Cookie", "a=1"},
               {"cookie", "b=2"}};
  EXPECT_TRUE(eval(R"(header.accept == "text/html, text/event-stream")", r));
  EXPECT_TRUE(eval(R"(header.Accept *= "text/event-stream")", r));
  EXPECT_TRUE(eval(R"(header.cookie == "a=1; b=2")", r));
  EXPECT_EQ(render("{header.accept}|{header.accept}", r),
            "text/html, text/event-stream|text/html, text/event-stream");
}

TEST(ExprEval, CookiesAndCookiePrefix) {
  Request r;
  r.headers = {{"Cookie", "theme=dark; wordpress_logged_in_abc=u%7C1; theme=light"},
               {"Cookie", " session = s1 ;flag"}};
  EXPECT_TRUE(eval(R"(cookie.theme == "dark")", r)) << "first occurrence wins";
  EXPECT_TRUE(eval(R"(cookie.session == "s1")", r));
  EXPECT_TRUE(eval(R"(cookie.wordpress_logged_in_abc == "u%7C1")", r)) << "not decoded";
  EXPECT_FALSE(eval("exists(cookie.flag)", r)) << "a cookie needs name=value";
  EXPECT_FALSE(eval("exists(cookie.Theme)", r)) << "cookie names are case-sensitive";
  EXPECT_TRUE(eval(R"(has_cookie_prefix("wordpress_logged_in_"))", r));
  EXPECT_FALSE(eval(R"(has_cookie_prefix("dark"))", r)) << "names only, not values";
  Request none;
  EXPECT_FALSE(eval(R"(has_cookie_prefix("wordpress_"))", none));
}

TEST(ExprEval, QueryArgumentsAreDecodedOnce) {
  Request r;
  r.target = "/s?q=a+b%2Fc%252F&q=second&flag&e=&bad=%zz%4&n%61me=v";
  EXPECT_TRUE(eval(R"(arg.q == "a b/c%2F")", r));
  EXPECT_TRUE(eval(R"(exists(arg.flag) && arg.flag == "")", r));
  EXPECT_TRUE(eval(R"(arg.e == "")", r));
  EXPECT_TRUE(eval(R"(arg.bad == "%zz%4")", r));
  EXPECT_TRUE(eval(R"(arg.name == "v")", r));
  EXPECT_FALSE(eval("exists(arg.Q)", r)) << "argument names are case-sensitive";
  EXPECT_FALSE(eval("exists(arg.missing)", r));
}

TEST(ExprEval, Examples) {
  Request wp;
  wp.headers = {{"Cookie", "wordpress_logged_in_x=1"}};
  EXPECT_TRUE(
      eval(R"(has_cookie_prefix("wordpress_logged_in_") || exists(header.authorization))", wp));
  Request anon;
  EXPECT_FALSE(
      eval(R"(has_cookie_prefix("wordpress_logged_in_") || exists(header.authorization))", anon));

  const char* bypass =
      R"(method !in ["GET", "HEAD"] || arg.preview == "true" || path ^= "/wp-json/")";
  Request get;
  get.target = "/blog/post";
  EXPECT_FALSE(eval(bypass, get));
  Request post = get;
  post.method = "POST";
  EXPECT_TRUE(eval(bypass, post));
  Request preview = get;
  preview.target = "/blog/post?preview=true";
  EXPECT_TRUE(eval(bypass, preview));

  const char* no_store =
      R"(header.accept *= "text/event-stream" || (scheme == "http" && server_port != 80))";
  Request plain;
  plain.scheme = "http";
  plain.port = 8080;
  EXPECT_TRUE(eval(no_store, plain));
  plain.port = 80;
  EXPECT_FALSE(eval(no_store, plain));

  Request uri;
  uri.target = "/a%20b?x=1";
  EXPECT_EQ(render("https://example.test{uri}", uri, Site::RedirectTarget),
            "https://example.test/a%20b?x=1");
  EXPECT_EQ(render("{host}", uri), "example.test");
}

TEST(ExprEval, RedirectEscapingOfArgs) {
  Request r;
  r.target = "/x?next=a/b?c=d%26e f&id=%2e%2e";
  EXPECT_EQ(render("https://a.test/go/{arg.next}?to={arg.next}&p={path}", r, Site::RedirectTarget),
            "https://a.test/go/a%2Fb%3Fc=d&e%20f?to=a/b?c%3Dd%26e%20f&p=/x");
  EXPECT_EQ(render("https://a.test/{arg.id}", r, Site::RedirectTarget), "https://a.test/..")
      << "unreserved dots stay; the path is one segment";
  EXPECT_EQ(render("{arg.next}", r), "a/b?c=d&e f") << "no escaping outside redirects";
}

TEST(ExprEval, RouteRegexCapturesInRewriteAndRedirect) {
  auto re = snapshot::regex::compile_regex("^/u/(?P<user>[^/]+)$");
  ASSERT_TRUE(re.ok());
  auto m = snapshot::regex::Matcher::load(re.regex->code, 1);
  ASSERT_TRUE(m.ok());
  const std::string path = "/u/al ice?";
  std::vector<snapshot::regex::Capture> caps(1);
  ASSERT_TRUE(m->match(path, caps));
  const std::vector<std::string_view> names{"user"};
  Request r;
  r.target = "/u/al%20ice%3F";
  const RouteCaptures route{path, names, caps};
  std::vector<std::string> groups{"user"};

  auto rewrite = load("/profile.php/{route.regex.user}", Site::RewriteTemplate, groups);
  std::string out;
  ASSERT_TRUE(render_template(*rewrite->program, r.vars(route), out));
  EXPECT_EQ(out, "/profile.php/al ice?");
  auto redirect = load("https://a.test/p/{route.regex.user}?u={route.regex.user}",
                       Site::RedirectTarget, groups);
  ASSERT_TRUE(render_template(*redirect->program, r.vars(route), out));
  EXPECT_EQ(out, "https://a.test/p/al%20ice%3F?u=al%20ice?");
  auto when = load(R"(route.regex.user ^= "al")", Site::RouteWhen, groups);
  EXPECT_TRUE(evaluate_predicate(*when->program, r.vars(route)));
  auto other = load(R"(route.regex.user == "")", Site::RouteWhen, groups);
  EXPECT_TRUE(evaluate_predicate(*other->program, r.vars())) << "no match: empty string";
}

TEST(ExprEval, ServerPortIsDecimalInTemplates) {
  Request r;
  r.port = 8443;
  EXPECT_EQ(render("{scheme}://{host}:{server_port}{path}", r), "https://example.test:8443/");
  EXPECT_EQ(render("{method}|{host}{path}?{arg.page}", r, Site::CacheKey), "GET|example.test/?");
}

TEST(ExprEval, TemplateOutputIsCappedAt16KiB) {
  Request r;
  r.target = "/?v=" + std::string(600, 'x');
  std::string tmpl;
  for (int i = 0; i < 27; ++i) tmpl += "{arg.v}";
  auto l = load(tmpl, Site::RequestHeader);
  std::string out;
  EXPECT_TRUE(render_template(*l->program, r.vars(), out));
  EXPECT_EQ(out.size(), 27u * 600u);
  tmpl += "{arg.v}{arg.v}";
  auto big = load(tmpl, Site::RequestHeader);
  EXPECT_FALSE(render_template(*big->program, r.vars(), out));
}

TEST(ExprEval, HeaderValueValidity) {
  EXPECT_TRUE(is_valid_header_value("a\tb c~"));
  EXPECT_TRUE(is_valid_header_value("é"));
  EXPECT_FALSE(is_valid_header_value("a\r\nb"));
  EXPECT_FALSE(is_valid_header_value(std::string_view("a\0b", 3)));
  EXPECT_FALSE(is_valid_header_value("a\x7f"));
  EXPECT_FALSE(is_valid_header_value("a\x01"));
}

TEST(TwoWay, AgreesWithNaiveSearch) {
  std::mt19937 rng(7);
  for (int round = 0; round < 20000; ++round) {
    const int alphabet = 1 + round % 3;
    auto gen = [&](std::size_t max) {
      std::string s(rng() % max, 'a');
      for (auto& c : s) c = static_cast<char>('a' + rng() % alphabet);
      return s;
    };
    const std::string hay = gen(40);
    const std::string needle = gen(8);
    ASSERT_EQ(contains_two_way(hay, needle), hay.find(needle) != std::string::npos)
        << "hay=" << hay << " needle=" << needle;
  }
}

TEST(TwoWay, HandlesEdgeCases) {
  EXPECT_TRUE(contains_two_way("abc", ""));
  EXPECT_TRUE(contains_two_way("", ""));
  EXPECT_FALSE(contains_two_way("", "a"));
  EXPECT_FALSE(contains_two_way("ab", "abc"));
  EXPECT_TRUE(contains_two_way("text/event-stream", "event"));
  EXPECT_TRUE(contains_two_way(std::string(100000, 'a') + "b", std::string(5000, 'a') + "b"));
  EXPECT_TRUE(contains_two_way("\xff\x80\x01", "\x80\x01"));
}

}  // namespace
}  // namespace flux::runtime::expr
