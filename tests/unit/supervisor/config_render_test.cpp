// php-behaviour.md §14.2: the generated php-fpm config, byte for byte.

#include "runtime/supervisor/config_render.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace flux::runtime::supervisor {
namespace {

const InstanceFiles kFiles{"/run/fluxheim/php", "fh-fpm-2a-7-000000000000feed"};

std::string read_golden(const std::string& name) {
  std::ifstream in(std::string(FLUX_SUPERVISOR_GOLDEN_DIR) + "/" + name, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

PoolSpec full_spec() {
  PoolSpec s;
  s.label = "shop/route:api";
  s.socket_dir = kFiles.dir;
  s.pm = ProcessManager::kDynamic;
  s.workers = 8;
  s.max_requests_per_worker = 500;
  s.min_spare_servers = 2;
  s.max_spare_servers = 5;
  s.start_servers = 3;
  s.max_spawn_rate = 16;
  s.listen_backlog = 128;
  s.listen_owner = "fluxheim";
  s.listen_group = "php";
  s.listen_mode = "0660";
  s.request_terminate_timeout_secs = 30;
  s.request_terminate_timeout_track_finished = true;
  s.request_slowlog_timeout_secs = 5;
  s.request_slowlog_trace_depth = 40;
  s.catch_workers_output = false;
  s.decorate_workers_output = false;
  s.session_save_path = "/var/lib/fluxheim/sessions";
  s.upload_tmp_dir = "/var/lib/fluxheim/uploads";
  s.user = "www-data";
  s.group = "www-data";
  s.allowed_extensions = {"php", "phtml"};
  return s;
}

PoolSpec minimal_spec() {
  PoolSpec s;
  s.label = "site/vhost";
  s.socket_dir = kFiles.dir;
  s.allowed_extensions = {"php"};
  return s;
}

std::string render_ok(const PoolSpec& s) {
  auto r = render_pool_config(s, kFiles);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? r.value() : std::string();
}

std::string render_error(const PoolSpec& s) {
  auto r = render_pool_config(s, kFiles);
  EXPECT_FALSE(r.ok());
  return r.ok() ? std::string() : r.error().message;
}

TEST(ConfigRender, FullDynamicExampleMatchesGoldenFile) {
  EXPECT_EQ(render_ok(full_spec()), read_golden("full_pool.conf"));
}

TEST(ConfigRender, StaticDefaultsWriteOnlyTheUnconditionalLines) {
  EXPECT_EQ(render_ok(minimal_spec()), read_golden("static_defaults.conf"));
}

TEST(ConfigRender, OndemandWritesIdleTimeoutAndNoSpareServers) {
  PoolSpec s = minimal_spec();
  s.pm = ProcessManager::kOndemand;
  s.process_idle_timeout_secs = 15;
  s.listen_backlog = -1;
  const std::string out = render_ok(s);
  EXPECT_NE(out.find("pm = ondemand\npm.max_children = 4\npm.process_idle_timeout = 15s\n"
                     "pm.max_requests = 1000\n"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("listen.mode = 0600\nlisten.backlog = -1\npm = ondemand\n"),
            std::string::npos);
  EXPECT_EQ(out.find("spare"), std::string::npos);
}

TEST(ConfigRender, DynamicStartServersDefaultsToTheMiddleOfTheSpareRange) {
  PoolSpec s = full_spec();
  s.start_servers.reset();
  s.min_spare_servers = 1;
  s.max_spare_servers = 4;
  EXPECT_NE(render_ok(s).find("pm.start_servers = 2\n"), std::string::npos);
}

TEST(ConfigRender, DynamicWithoutSpareServersIsRefused) {
  PoolSpec s = full_spec();
  s.max_spare_servers.reset();
  EXPECT_EQ(render_error(s), "dynamic mode requires min_spare_servers and max_spare_servers");
}

TEST(ConfigRender, SlowlogLinesOnlyWithATimeout) {
  PoolSpec s = full_spec();
  s.request_slowlog_timeout_secs.reset();
  const std::string out = render_ok(s);
  EXPECT_EQ(out.find("slowlog"), std::string::npos);
  EXPECT_EQ(out.find("request_slowlog_trace_depth"), std::string::npos);
}

TEST(ConfigRender, PathsWithBytesTheIniParserWouldChangeAreRefused) {
  for (const char* bad : {"/srv/a;b", "/srv/${HOME}", "/srv/a b", "/srv/a=b", "/srv/a|b",
                          "/srv/a(b)", "/srv/it's", "/srv/\"q\"", "/srv/a\nb", "/srv/a\x7f"}) {
    PoolSpec s = minimal_spec();
    s.session_save_path = bad;
    EXPECT_FALSE(render_pool_config(s, kFiles).ok()) << bad;
  }
  PoolSpec s = minimal_spec();
  s.upload_tmp_dir = "relative/tmp";
  EXPECT_EQ(render_error(s), "upload_tmp_dir `relative/tmp` must be an absolute path");
  s = minimal_spec();
  s.session_save_path = "/srv/\xff\xfe";
  EXPECT_EQ(render_error(s), "session_save_path `/srv/\xff\xfe` is not valid UTF-8");
}

TEST(ConfigRender, NonAsciiUtf8PathsAreWrittenAsIs) {
  PoolSpec s = minimal_spec();
  s.session_save_path = "/srv/sitzungen-\xc3\xa4";
  EXPECT_NE(render_ok(s).find("php_value[session.save_path] = /srv/sitzungen-\xc3\xa4\n"),
            std::string::npos);
}

TEST(ConfigRender, SocketDirIsCheckedToo) {
  const InstanceFiles files{"/run/a;b", "fh-fpm-1-0-0000000000000000"};
  auto r = render_pool_config(minimal_spec(), files);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(
      r.error().message,
      "socket_dir `/run/a;b` contains `;`, which php-fpm's config parser does not read verbatim");
}

TEST(ConfigRender, IdentitiesFollowTheIdentityRuleAndComeInPairs) {
  PoolSpec s = minimal_spec();
  s.user = "www-data";
  EXPECT_EQ(render_error(s), "user and group must be configured together");
  s.group = "-wheel";
  EXPECT_EQ(render_error(s), "group `-wheel` is not a valid identity");
  s.group = "a b";
  EXPECT_EQ(render_error(s), "group `a b` is not a valid identity");
  s.group = std::string(65, 'g');
  EXPECT_FALSE(render_pool_config(s, kFiles).ok());
  s = minimal_spec();
  s.listen_owner = "fluxheim";
  EXPECT_EQ(render_error(s), "listen_owner and listen_group must be configured together");
}

TEST(ConfigRender, IdentitiesThatAreIniLiteralsAreRefused) {
  PoolSpec s = minimal_spec();
  s.user = "nobody";
  s.group = "None";  // php-fpm would read the empty string
  EXPECT_EQ(render_error(s), "group `None` would be read by php-fpm as an INI literal");
}

TEST(ConfigRender, ListenModeIsOnly0600Or0660) {
  PoolSpec s = minimal_spec();
  s.listen_mode = "0666";
  EXPECT_EQ(render_error(s), "listen_mode must be \"0600\" or \"0660\"");
  s.listen_mode = "0660";
  EXPECT_NE(render_ok(s).find("listen.mode = 0660\n"), std::string::npos);
}

TEST(ConfigRender, ExtensionsMustBePlainNames) {
  PoolSpec s = minimal_spec();
  s.allowed_extensions = {"php", ".phtml"};
  EXPECT_EQ(render_error(s), "php.allowed_extensions entry `.phtml` is not a plain extension name");
  s.allowed_extensions.clear();
  EXPECT_EQ(render_error(s), "php.allowed_extensions is empty");
}

TEST(ConfigRender, ZeroWorkersIsRefused) {
  PoolSpec s = minimal_spec();
  s.workers = 0;
  EXPECT_EQ(render_error(s), "workers must be at least 1");
}

}  // namespace
}  // namespace flux::runtime::supervisor
