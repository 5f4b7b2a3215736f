// php-behaviour.md §5: fixed params, header translation with HTTPoxy and cookie merge, custom
// params with the protected list, PATH_INFO, the 256KiB cap.

#include "runtime/php/params.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace flux::runtime::php {
namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

Pairs pairs(const std::vector<fastcgi::NameValue>& params) {
  Pairs out;
  for (const auto& p : params) out.emplace_back(p.name, p.value);
  return out;
}

ScriptTarget blog_index() {
  ScriptTarget t;
  t.script_name = "/blog/index.php";
  t.script_filename = "/srv/fpm/blog/index.php";
  t.document_root = "/srv/fpm";
  return t;
}

TEST(PhpParams, FullParamSetOfComplexRequest) {
  const std::vector<HeaderView> headers = {
      {"Host", "shop.example:8443"},
      {"User-Agent", "curl/8"},
      {"Cookie", "a=1"},
      {"Proxy", "http://evil:1"},              // HTTPoxy: always dropped
      {"Connection", "keep-alive, X-Secret"},  // hop-by-hop, names X-Secret
      {"X-Secret", "drop me"},
      {"Content-Type", "application/x-www-form-urlencoded"},
      {"Content-Length", "11"},
      {"X_Forwarded_For", "1.2.3.4"},  // underscore: dropped
      {"X-Forwarded-For", "10.0.0.1"},
      {"Cookie", "b=2"},  // split cookie: merged with "; "
      {"Accept", "text/html"},
      {"accept", "*/*"},  // repeated: merged with ", "
      {"Authorization", "Basic dTpw"},
      {"X-Bad",
       "a\x01"
       "b"},  // unsafe value: that line dropped
      {"Transfer-Encoding", "chunked"},
      {"TE", "trailers"},
      {"Upgrade", "h2c"},
  };
  RequestView req;
  req.method = "POST";
  req.request_uri = "/blog/?p=1&q=%20x";
  req.path = "/blog/";
  req.query = "p=1&q=%20x";
  req.protocol = "HTTP/1.1";
  req.headers = headers;
  req.tls = true;
  req.remote_addr = "::ffff:192.0.2.7";
  req.remote_port = 51234;
  req.local_addr = "192.0.2.1";
  req.vhost_name = "shop";
  req.body_length = 11;
  ParamConfig config;
  config.custom = {{"APP_ENV", "production"},
                   {"PHP_VALUE", "auto_prepend_file=/x"},
                   {"HTTP_X", "y"},
                   {"SCRIPT_FILENAME", "/etc/passwd"}};
  ScriptTarget script = blog_index();

  const ParamsResult r = build_params(req, script, config);
  ASSERT_TRUE(r.ok());
  const Pairs expected = {
      {"GATEWAY_INTERFACE", "CGI/1.1"},
      {"SERVER_SOFTWARE", "fluxheim"},
      {"SERVER_PROTOCOL", "HTTP/1.1"},
      {"REQUEST_METHOD", "POST"},
      {"SCRIPT_NAME", "/blog/index.php"},
      {"SCRIPT_FILENAME", "/srv/fpm/blog/index.php"},
      {"QUERY_STRING", "p=1&q=%20x"},
      {"REQUEST_URI", "/blog/?p=1&q=%20x"},
      {"DOCUMENT_ROOT", "/srv/fpm"},
      {"DOCUMENT_URI", "/blog/index.php"},
      {"REMOTE_ADDR", "192.0.2.7"},
      {"REMOTE_PORT", "51234"},
      {"SERVER_ADDR", "192.0.2.1"},
      {"SERVER_PORT", "8443"},
      {"SERVER_NAME", "shop.example"},
      {"CONTENT_TYPE", "application/x-www-form-urlencoded"},
      {"CONTENT_LENGTH", "11"},
      {"REQUEST_SCHEME", "https"},
      {"HTTPS", "on"},
      {"REDIRECT_STATUS", "200"},
      {"HTTP_USER_AGENT", "curl/8"},
      {"HTTP_COOKIE", "a=1; b=2"},
      {"HTTP_X_FORWARDED_FOR", "10.0.0.1"},
      {"HTTP_ACCEPT", "text/html, */*"},
      {"HTTP_AUTHORIZATION", "Basic dTpw"},
      {"HTTP_HOST", "shop.example:8443"},
      {"APP_ENV", "production"},
  };
  EXPECT_EQ(pairs(r.params), expected);
}

RequestView simple_get(std::span<const HeaderView> headers) {
  RequestView req;
  req.method = "GET";
  req.request_uri = "/";
  req.path = "/";
  req.protocol = "HTTP/1.0";
  req.headers = headers;
  req.vhost_name = "site";
  return req;
}

std::string value_of(const ParamsResult& r, std::string_view name) {
  for (const auto& p : r.params) {
    if (p.name == name) return p.value;
  }
  return "<absent>";
}

TEST(PhpParams, DefaultsWithoutHostOrAddresses) {
  const ParamsResult r = build_params(simple_get({}), blog_index(), {});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(value_of(r, "SERVER_NAME"), "site");
  EXPECT_EQ(value_of(r, "HTTP_HOST"), "site");
  EXPECT_EQ(value_of(r, "SERVER_PORT"), "80");
  EXPECT_EQ(value_of(r, "REMOTE_ADDR"), "");
  EXPECT_EQ(value_of(r, "REMOTE_PORT"), "");
  EXPECT_EQ(value_of(r, "SERVER_ADDR"), "");
  EXPECT_EQ(value_of(r, "CONTENT_TYPE"), "");
  EXPECT_EQ(value_of(r, "CONTENT_LENGTH"), "0");
  EXPECT_EQ(value_of(r, "QUERY_STRING"), "");
  EXPECT_EQ(value_of(r, "HTTPS"), "off");
  EXPECT_EQ(value_of(r, "REQUEST_SCHEME"), "http");
  EXPECT_EQ(value_of(r, "SERVER_PROTOCOL"), "HTTP/1.0");
  EXPECT_EQ(value_of(r, "PATH_INFO"), "<absent>");
}

TEST(PhpParams, ServerPortPrefersConfigThenHostThenScheme) {
  const std::vector<HeaderView> v6 = {{"Host", "[2001:db8::1]:8080"}};
  ParamsResult r = build_params(simple_get(v6), blog_index(), {});
  EXPECT_EQ(value_of(r, "SERVER_PORT"), "8080");
  EXPECT_EQ(value_of(r, "SERVER_NAME"), "[2001:db8::1]");
  EXPECT_EQ(value_of(r, "HTTP_HOST"), "[2001:db8::1]:8080");
  ParamConfig c;
  c.server_port = 9000;
  r = build_params(simple_get(v6), blog_index(), c);
  EXPECT_EQ(value_of(r, "SERVER_PORT"), "9000");
  const std::vector<HeaderView> bad_port = {{"Host", "example.org:99999"}};
  RequestView tls = simple_get(bad_port);
  tls.tls = true;
  r = build_params(tls, blog_index(), {});
  EXPECT_EQ(value_of(r, "SERVER_PORT"), "443");
}

TEST(PhpParams, HostFallsBackToFirstNonEmptyThenAuthority) {
  const std::vector<HeaderView> hosts = {{"Host", "  "}, {"Host", " b.example "}};
  EXPECT_EQ(value_of(build_params(simple_get(hosts), blog_index(), {}), "HTTP_HOST"), "b.example");
  RequestView abs = simple_get({});
  abs.authority = "abs.example:81";
  const ParamsResult r = build_params(abs, blog_index(), {});
  EXPECT_EQ(value_of(r, "HTTP_HOST"), "abs.example:81");
  EXPECT_EQ(value_of(r, "SERVER_NAME"), "abs.example");
  EXPECT_EQ(value_of(r, "SERVER_PORT"), "81");
}

TEST(PhpParams, UnsafeHostFallsBackToVhostAndSendsNoHttpHost) {
  const std::vector<HeaderView> h = {{"Host",
                                      "a\x7f"
                                      "b"}};
  const ParamsResult r = build_params(simple_get(h), blog_index(), {});
  EXPECT_EQ(value_of(r, "SERVER_NAME"), "site");
  EXPECT_EQ(value_of(r, "HTTP_HOST"), "<absent>");
}

TEST(PhpParams, NoHttpParamsWhenPassRequestHeadersIsOff) {
  const std::vector<HeaderView> h = {{"Host", "x"}, {"Cookie", "a=1"}};
  ParamConfig c;
  c.pass_request_headers = false;
  const ParamsResult r = build_params(simple_get(h), blog_index(), c);
  for (const auto& p : r.params) EXPECT_FALSE(p.name.starts_with("HTTP_")) << p.name;
  EXPECT_EQ(value_of(r, "SERVER_NAME"), "x");
}

TEST(PhpParams, HttpProxyCanNeverBeProduced) {
  const std::vector<HeaderView> h = {{"Proxy", "a"}, {"PROXY", "b"}, {"Proxy_", "c"}};
  ParamConfig c;
  c.custom = {{"HTTP_PROXY", "d"}};
  const ParamsResult r = build_params(simple_get(h), blog_index(), c);
  EXPECT_EQ(value_of(r, "HTTP_PROXY"), "<absent>");
}

TEST(PhpParams, MergedValueStopsAt16KiBKeepingEarlierValues) {
  const std::string big(16000, 'a');
  const std::string small(383, 'b');  // 16000 + 2 + 383 = 16385: skipped
  const std::vector<HeaderView> h = {{"X-Long", big}, {"X-Long", small}, {"X-Long", "c"}};
  const ParamsResult r = build_params(simple_get(h), blog_index(), {});
  EXPECT_EQ(value_of(r, "HTTP_X_LONG"), big + ", c");
}

TEST(PhpParams, ValueLongerThan16KiBIsDropped) {
  const std::string huge(16385, 'a');
  const std::vector<HeaderView> h = {{"X-Huge", huge}, {"Content-Type", huge}};
  const ParamsResult r = build_params(simple_get(h), blog_index(), {});
  EXPECT_EQ(value_of(r, "HTTP_X_HUGE"), "<absent>");
  EXPECT_EQ(value_of(r, "CONTENT_TYPE"), "");
}

TEST(PhpParams, ContentTypeJoinsAllValuesOrIsEmptyWhenOneIsUnsafe) {
  const std::vector<HeaderView> two = {{"Content-Type", "text/plain"}, {"content-type", "x/y"}};
  EXPECT_EQ(value_of(build_params(simple_get(two), blog_index(), {}), "CONTENT_TYPE"),
            "text/plain, x/y");
  const std::vector<HeaderView> bad = {{"Content-Type", "text/plain"}, {"Content-Type", "a\nb"}};
  EXPECT_EQ(value_of(build_params(simple_get(bad), blog_index(), {}), "CONTENT_TYPE"), "");
}

TEST(PhpParams, NamesOutsideCgiCharsetAreDropped) {
  const std::vector<HeaderView> h = {{"X.Dot", "1"}, {"X Space", "2"}, {"", "3"}, {"X-Ok-9", "4"}};
  const ParamsResult r = build_params(simple_get(h), blog_index(), {});
  EXPECT_EQ(value_of(r, "HTTP_X_OK_9"), "4");
  EXPECT_EQ(value_of(r, "HTTP_X_DOT"), "<absent>");
  EXPECT_EQ(value_of(r, "HTTP_X_SPACE"), "<absent>");
}

TEST(PhpParams, PathInfoAndPathTranslatedComeLast) {
  ScriptTarget t = blog_index();
  t.path_info = "/a/b";
  t.path_translated = "/srv/fpm/a/b";
  ParamConfig c;
  c.custom = {{"Z", "1"}};
  const ParamsResult r = build_params(simple_get({}), t, c);
  ASSERT_TRUE(r.ok());
  ASSERT_GE(r.params.size(), 3u);
  EXPECT_EQ(r.params[r.params.size() - 3].name, "Z");
  EXPECT_EQ(r.params[r.params.size() - 2].name, "PATH_INFO");
  EXPECT_EQ(r.params[r.params.size() - 2].value, "/a/b");
  EXPECT_EQ(r.params.back().name, "PATH_TRANSLATED");
  EXPECT_EQ(r.params.back().value, "/srv/fpm/a/b");
}

TEST(PhpParams, UnsafeDerivedValueIsAPlanningError) {
  RequestView req = simple_get({});
  req.query = "a=\x01";
  const ParamsResult r = build_params(req, blog_index(), {});
  EXPECT_EQ(r.error, ParamError::kUnsafeValue);
  EXPECT_EQ(r.param, "QUERY_STRING");
}

TEST(PhpParams, ParamsOver256KiBAreRefused) {
  std::vector<std::string> values(20, std::string(16000, 'v'));
  std::vector<std::string> names;
  for (int i = 0; i < 20; ++i) names.push_back("X-H" + std::to_string(i));
  std::vector<HeaderView> h;
  for (int i = 0; i < 20; ++i)
    h.push_back({names[static_cast<std::size_t>(i)], values[static_cast<std::size_t>(i)]});
  EXPECT_EQ(build_params(simple_get(h), blog_index(), {}).error, ParamError::kTooLarge);
  h.resize(15);  // 15 x 16000 = 240000 bytes plus small params: under 262144
  EXPECT_TRUE(build_params(simple_get(h), blog_index(), {}).ok());
}

TEST(PhpParams, ProtectedListIsExactAndCoversHttpPrefix) {
  EXPECT_TRUE(is_protected_param("PHP_VALUE"));
  EXPECT_TRUE(is_protected_param("PHP_ADMIN_VALUE"));
  EXPECT_TRUE(is_protected_param("HTTP_ANYTHING"));
  EXPECT_TRUE(is_protected_param("SCRIPT_FILENAME"));
  EXPECT_FALSE(is_protected_param("php_value"));
  EXPECT_FALSE(is_protected_param("APP_ENV"));
}

}  // namespace
}  // namespace flux::runtime::php
