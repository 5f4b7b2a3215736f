#include "runtime/supervisor/config_render.hpp"

#include <algorithm>
#include <array>

#include "snapshot/utf8.hpp"

namespace flux::runtime::supervisor {
namespace {

// Bytes an unquoted INI value cannot carry verbatim (see the header), beyond §14.2's own list.
constexpr std::string_view kIniMeta = ";$=&|^~!() \t'\"";

constexpr std::array<std::string_view, 8> kIniLiterals = {"none", "null", "yes",  "no",
                                                          "on",   "off",  "true", "false"};

bool is_ini_literal(std::string_view v) {
  return std::any_of(kIniLiterals.begin(), kIniLiterals.end(), [&](std::string_view lit) {
    return v.size() == lit.size() &&
           std::equal(v.begin(), v.end(), lit.begin(), [](char a, char b) {
             return (a >= 'A' && a <= 'Z' ? static_cast<char>(a - 'A' + 'a') : a) == b;
           });
  });
}

// config-reference.md §9.3 identity rule: 1..=64 bytes of [A-Za-z0-9_.-], not starting with '-'.
Result<void> check_identity(std::string_view what, std::string_view id) {
  const bool ok = !id.empty() && id.size() <= 64 && id.front() != '-' &&
                  id.find_first_not_of(
                      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                      "0123456789_.-") == std::string_view::npos;
  if (!ok)
    return make_error(std::string(what) + " `" + std::string(id) + "` is not a valid identity");
  if (is_ini_literal(id)) {
    return make_error(std::string(what) + " `" + std::string(id) +
                      "` would be read by php-fpm as an INI literal");
  }
  return {};
}

Result<void> check_pair(std::string_view a_name, const std::string& a, std::string_view b_name,
                        const std::string& b) {
  if (a.empty() != b.empty()) {
    return make_error(std::string(a_name) + " and " + std::string(b_name) +
                      " must be configured together");
  }
  if (a.empty()) return {};
  if (auto r = check_identity(a_name, a); !r) return r;
  return check_identity(b_name, b);
}

Result<void> check_extensions(const std::vector<std::string>& exts) {
  if (exts.empty()) return make_error("php.allowed_extensions is empty");
  for (const auto& e : exts) {
    if (e.empty() ||
        e.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_-") != std::string::npos) {
      return make_error("php.allowed_extensions entry `" + e + "` is not a plain extension name");
    }
  }
  return {};
}

Result<void> check_spec(const PoolSpec& s, const InstanceFiles& files) {
  if (auto r = check_config_path("socket_dir", files.dir); !r) return r;
  if (auto r = check_identity("instance name", files.name); !r) return r;
  if (!s.session_save_path.empty()) {
    if (auto r = check_config_path("session_save_path", s.session_save_path); !r) return r;
  }
  if (!s.upload_tmp_dir.empty()) {
    if (auto r = check_config_path("upload_tmp_dir", s.upload_tmp_dir); !r) return r;
  }
  if (auto r = check_pair("listen_owner", s.listen_owner, "listen_group", s.listen_group); !r)
    return r;
  if (auto r = check_pair("user", s.user, "group", s.group); !r) return r;
  if (!s.listen_mode.empty() && s.listen_mode != "0600" && s.listen_mode != "0660") {
    return make_error("listen_mode must be \"0600\" or \"0660\"");
  }
  if (s.workers < 1) return make_error("workers must be at least 1");
  if (s.pm == ProcessManager::kDynamic && (!s.min_spare_servers || !s.max_spare_servers)) {
    return make_error("dynamic mode requires min_spare_servers and max_spare_servers");
  }
  return check_extensions(s.allowed_extensions);
}

class Lines {
 public:
  void add(std::string_view key, std::string_view value) {
    out_.append(key).append(" = ").append(value).push_back('\n');
  }
  void add(std::string_view key, std::uint64_t value) { add(key, std::to_string(value)); }
  void add_secs(std::string_view key, std::uint64_t secs) { add(key, std::to_string(secs) + "s"); }
  void add_bool(std::string_view key, bool value) { add(key, value ? "yes" : "no"); }
  void raw(std::string_view line) { out_.append(line).push_back('\n'); }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

std::string_view pm_name(ProcessManager pm) {
  switch (pm) {
    case ProcessManager::kDynamic:
      return "dynamic";
    case ProcessManager::kOndemand:
      return "ondemand";
    case ProcessManager::kStatic:
      break;
  }
  return "static";
}

// §9.3: an unset start_servers defaults to floor((min+max)/2) clamped to [min, max].
std::uint32_t start_servers_of(const PoolSpec& s) {
  if (s.start_servers) return *s.start_servers;
  const std::uint32_t lo = *s.min_spare_servers, hi = *s.max_spare_servers;
  return std::clamp((lo + hi) / 2, std::min(lo, hi), std::max(lo, hi));
}

void render_process_manager(const PoolSpec& s, Lines& out) {
  out.add("pm", pm_name(s.pm));
  out.add("pm.max_children", s.workers);
  if (s.pm == ProcessManager::kDynamic) {
    out.add("pm.start_servers", start_servers_of(s));
    out.add("pm.min_spare_servers", *s.min_spare_servers);
    out.add("pm.max_spare_servers", *s.max_spare_servers);
    if (s.max_spawn_rate) out.add("pm.max_spawn_rate", *s.max_spawn_rate);
  }
  if (s.pm == ProcessManager::kOndemand && s.process_idle_timeout_secs) {
    out.add_secs("pm.process_idle_timeout", *s.process_idle_timeout_secs);
  }
  out.add("pm.max_requests", s.max_requests_per_worker);
}

void render_timeouts(const PoolSpec& s, const InstanceFiles& files, Lines& out) {
  if (s.request_terminate_timeout_secs) {
    out.add_secs("request_terminate_timeout", *s.request_terminate_timeout_secs);
  }
  if (s.request_terminate_timeout_track_finished) {
    out.add_bool("request_terminate_timeout_track_finished", true);
  }
  if (s.request_slowlog_timeout_secs) {
    out.add("slowlog", files.slow_log());
    out.add_secs("request_slowlog_timeout", *s.request_slowlog_timeout_secs);
    out.add("request_slowlog_trace_depth", s.request_slowlog_trace_depth);
  }
}

void render_pool(const PoolSpec& s, const InstanceFiles& files, Lines& out) {
  out.raw("[fluxheim]");
  out.add("listen", files.sock());
  out.add("listen.mode", s.listen_mode.empty() ? "0600" : s.listen_mode);
  if (!s.listen_owner.empty()) {
    out.add("listen.owner", s.listen_owner);
    out.add("listen.group", s.listen_group);
  }
  if (s.listen_backlog) out.add("listen.backlog", std::to_string(*s.listen_backlog));
  if (!s.user.empty()) {
    out.add("user", s.user);
    out.add("group", s.group);
  }
  render_process_manager(s, out);
  render_timeouts(s, files, out);
  out.add_bool("clear_env", s.clear_env);
  out.add_bool("catch_workers_output", s.catch_workers_output);
  out.add_bool("decorate_workers_output", s.decorate_workers_output);
  out.add("chdir", "/");
  std::string exts;
  for (const auto& e : s.allowed_extensions) exts += (exts.empty() ? "." : " .") + e;
  out.add("security.limit_extensions", exts);
  if (!s.session_save_path.empty()) out.add("php_value[session.save_path]", s.session_save_path);
  if (!s.upload_tmp_dir.empty()) out.add("php_admin_value[upload_tmp_dir]", s.upload_tmp_dir);
}

}  // namespace

Result<void> check_config_path(std::string_view what, std::string_view path) {
  const auto fail = [&](std::string_view why) {
    return make_error(std::string(what) + " `" + std::string(path) + "` " + std::string(why));
  };
  if (path.empty() || path.front() != '/') return fail("must be an absolute path");
  if (!snapshot::is_valid_utf8(path)) return fail("is not valid UTF-8");
  for (const char c : path) {
    const auto b = static_cast<unsigned char>(c);
    if (b < 32 || b == 127) return fail("contains a control character");
    if (kIniMeta.find(c) != std::string_view::npos) {
      return fail(std::string("contains `") + c +
                  "`, which php-fpm's config parser does not read verbatim");
    }
  }
  return {};
}

Result<std::string> render_pool_config(const PoolSpec& spec, const InstanceFiles& files) {
  if (auto r = check_spec(spec, files); !r) return r.error();
  Lines out;
  out.raw("[global]");
  out.add("daemonize", "no");
  out.add("pid", files.pid());
  out.add("error_log", files.log());
  out.raw("");
  render_pool(spec, files, out);
  return out.take();
}

}  // namespace flux::runtime::supervisor
