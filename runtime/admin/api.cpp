#include "runtime/admin/api.hpp"

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "runtime/admin/token.hpp"

namespace flux::runtime::admin {
namespace {

namespace json = boost::json;

ApiResponse json_response(unsigned status, const json::value& v) {
  ApiResponse r;
  r.status = status;
  r.body = json::serialize(v);
  r.body.push_back('\n');
  return r;
}

ApiResponse status_response(const Status& s) {
  json::array pools;
  for (const auto& p : s.managed_pools) {
    pools.push_back(json::object{{"pool", p.pool}, {"up", p.up}, {"restarts", p.restarts}});
  }
  return json_response(200, json::object{{"version", s.version},
                                         {"generation", s.generation},
                                         {"snapshot", s.snapshot},
                                         {"started_at", s.started_at},
                                         {"managed_pools", std::move(pools)}});
}

// Host names and paths as they appear in requests: bounded, no spaces or control bytes.
bool plain_text(std::string_view s, std::size_t max) {
  if (s.empty() || s.size() > max) return false;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f) return false;
  }
  return true;
}

std::optional<std::string> string_field(const json::object& o, std::string_view name) {
  const json::value* v = o.if_contains(name);
  if (v == nullptr || !v->is_string()) return std::nullopt;
  return std::string(v->get_string());
}

struct Route {
  std::string_view path;
  std::string_view method;
  std::string_view allow;
};
constexpr Route kRoutes[] = {{"/v1/status", "GET", "GET"},
                             {"/v1/reload", "POST", "POST"},
                             {"/v1/cache/purge", "POST", "POST"}};

}  // namespace

ApiResponse error_response(unsigned status, std::string_view message) {
  return json_response(status, json::object{{"error", message}});
}

std::optional<Purge> parse_purge(std::string_view body, std::string& error) {
  boost::system::error_code ec;
  const json::value v = json::parse(body, ec);
  if (ec || !v.is_object()) {
    error = "body must be a JSON object";
    return std::nullopt;
  }
  const json::object& o = v.get_object();
  for (const auto& field : o) {
    if (field.key() != "key" && field.key() != "host" && field.key() != "path" &&
        field.key() != "prefix") {
      error = "unknown field `" + std::string(field.key()) + "`";
      return std::nullopt;
    }
  }
  Purge p;
  const auto key = string_field(o, "key");
  const auto host = string_field(o, "host");
  const auto path = string_field(o, "path");
  const auto prefix = string_field(o, "prefix");
  if (key && o.size() == 1 && !key->empty() && key->size() <= 16 * 1024) {
    p.kind = Purge::Kind::kKey;
    p.key = *key;
    return p;
  }
  const auto& where = path ? path : prefix;
  if (o.size() == 2 && host && (path.has_value() != prefix.has_value()) && where &&
      plain_text(*host, 255) && plain_text(*where, 8192) && where->front() == '/') {
    p.kind = path ? Purge::Kind::kUrl : Purge::Kind::kPrefix;
    p.host = *host;
    p.path = *where;
    return p;
  }
  error = R"(expected {"key":…}, {"host":…,"path":"/…"} or {"host":…,"prefix":"/…"})";
  return std::nullopt;
}

ApiResponse reload_response(const core::ReloadOutcome& out) {
  switch (out.result) {
    case core::ReloadResult::kApplied:
      return json_response(200,
                           json::object{{"result", "applied"}, {"generation", out.generation}});
    case core::ReloadResult::kUnchanged:
      return json_response(200, json::object{{"result", "unchanged"}});
    case core::ReloadResult::kRefusedProcessUpgrade: {
      json::array keys;
      for (const auto& k : out.keys) keys.push_back(json::string(k));
      return json_response(
          409, json::object{{"result", "refused_process_upgrade"}, {"keys", std::move(keys)}});
    }
    case core::ReloadResult::kInvalid:
      return json_response(422, json::object{{"result", "invalid"}, {"reason", out.reason}});
    case core::ReloadResult::kIoError:
      // The snapshot file could not be read: a server-side condition, not the client's.
      return json_response(500, json::object{{"result", "io_error"}, {"reason", out.reason}});
  }
  return error_response(500, "internal error");
}

ApiResponse handle_request(const ApiRequest& req, std::string_view token, const Backend& backend) {
  // Authentication comes first, so that unauthenticated clients learn nothing, not even which
  // paths exist.
  if (!req.authorization || !bearer_matches(*req.authorization, token)) {
    ApiResponse r = error_response(401, "unauthorized");
    r.unauthorized = true;
    return r;
  }
  const std::string_view path = req.target.substr(0, req.target.find('?'));
  const Route* route = nullptr;
  for (const Route& r : kRoutes) {
    if (r.path == path) route = &r;
  }
  if (route == nullptr) return error_response(404, "not found");
  if (req.method != route->method) {
    ApiResponse r = error_response(405, "method not allowed");
    r.allow = std::string(route->allow);
    return r;
  }
  if (route->path == "/v1/status") return status_response(backend.status());
  if (route->path == "/v1/reload") return reload_response(backend.reload());
  std::string error;
  const auto purge = parse_purge(req.body, error);
  if (!purge) return error_response(400, error);
  return json_response(200, json::object{{"purged", backend.purge(*purge)}});
}

}  // namespace flux::runtime::admin
