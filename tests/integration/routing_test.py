"""Host dispatch (exact, wildcard longest first, default vhost, strict mode) and route selection
(exact -> longest segment-aware prefix -> regex -> fallback, methods, `when`, strip/rewrite,
redirect templates) against a running fluxheim (config-reference.md §7)."""

from harness import SiteTestCase, get, main

SITE = """
[server]
listen = ["127.0.0.1:{port}"]
default_vhost = "main"

[server.process]
pid_file = "{dir}/fluxheim.pid"

[[vhosts]]
name = "main"
hosts = ["main.test"]

[[vhosts.routes]]
name = "exact-health"
path_exact = "/healthz"
[vhosts.routes.respond]
status = 200
body = "ok"

[[vhosts.routes]]
name = "api"
path_prefix = "/api"
[vhosts.routes.respond]
status = 200
body = "api"

[[vhosts.routes]]
name = "api-v2"
path_prefix = "/api/v2/"
[vhosts.routes.respond]
status = 200
body = "api-v2"

[[vhosts.routes]]
name = "api-post-only"
path_prefix = "/api/write"
methods = ["POST"]
[vhosts.routes.respond]
status = 201
body = "written"

[[vhosts.routes]]
name = "beta"
path_prefix = "/feature"
when = 'cookie.beta == "1" || header.x-beta == "yes"'
[vhosts.routes.respond]
status = 200
body = "beta"

[[vhosts.routes]]
name = "feature"
path_prefix = "/feature"
[vhosts.routes.respond]
status = 200
body = "stable"

[[vhosts.routes]]
name = "user"
path_regex = '^/u/(?P<user>[a-z0-9_]{1,32})$'
[vhosts.routes.redirect]
to = "https://profiles.test/people/{route.regex.user}?from={query}"
status = 302

[[vhosts.routes]]
name = "static"
path_prefix = "/static/"
strip_prefix = "/static/"
rewrite_prefix = "/files/"
[vhosts.routes.web]
root = "{dir}/root"

[[vhosts.routes]]
name = "catch-all"
fallback = true
[vhosts.routes.respond]
status = 404
body = "fallback"

[[vhosts]]
name = "wild"
hosts = ["*.example.test"]
[[vhosts.routes]]
name = "w"
fallback = true
[vhosts.routes.respond]
status = 200
body = "wild"

[[vhosts]]
name = "deeper"
hosts = ["*.api.example.test", "exact.api.example.test"]
[[vhosts.routes]]
name = "d"
fallback = true
[vhosts.routes.respond]
status = 200
body = "deeper"

[[vhosts]]
name = "old"
hosts = ["old.test"]
[vhosts.redirect]
enabled = true
to = "https://new.test{uri}"
status = 301
"""

STRICT = """
[server]
listen = ["127.0.0.1:{port}"]
[server.process]
pid_file = "{dir}/strict.pid"
[server.host_routing]
strict = true
[[vhosts]]
name = "only"
hosts = ["only.test"]
[[vhosts.routes]]
name = "r"
fallback = true
[vhosts.routes.respond]
status = 200
body = "only"
"""


class Routing(SiteTestCase):
    def setUp(self):
        super().setUp()
        self.write("root/files/app.js", "console.log(1)\n")
        self.server = self.start(SITE)

    def body(self, path, host="main.test", **kw):
        status, headers, body = get(self.server.port, path, host=host, **kw)
        return status, body.decode()

    def test_route_precedence(self):
        cases = [
            ("/healthz", (200, "ok")),
            ("/healthz/x", (404, "fallback")),
            ("/api", (200, "api")),
            ("/api/x", (200, "api")),
            ("/apix", (404, "fallback")),
            ("/api/v2/items", (200, "api-v2")),
            ("/api/v2", (200, "api")),
            ("/%61pi/v2/items", (200, "api-v2")),
            ("/api/write", (200, "api")),
            ("/feature/x", (200, "stable")),
            ("/nothing", (404, "fallback")),
        ]
        for path, expected in cases:
            with self.subTest(path=path):
                self.assertEqual(self.body(path), expected)

    def test_methods_filter_routes(self):
        self.assertEqual(self.body("/api/write", method="POST"), (201, "written"))

    def test_when_predicates(self):
        self.assertEqual(self.body("/feature/x", headers=["Cookie: a=2; beta=1"]), (200, "beta"))
        self.assertEqual(self.body("/feature/x", headers=["X-Beta: yes"]), (200, "beta"))
        self.assertEqual(self.body("/feature/x", headers=["X-Beta: no"]), (200, "stable"))

    def test_regex_route_redirect_template(self):
        status, headers, _ = get(self.server.port, "/u/alice_1?x=1", host="main.test")
        self.assertEqual(status, 302)
        self.assertEqual(headers["location"], ["https://profiles.test/people/alice_1?from=x=1"])
        self.assertEqual(self.body("/u/Alice")[0], 404)

    def test_strip_and_rewrite_prefix_for_static_files(self):
        self.assertEqual(self.body("/static/app.js"), (200, "console.log(1)\n"))

    def test_hosts_exact_wildcard_default(self):
        self.assertEqual(self.body("/x", host="a.example.test"), (200, "wild"))
        self.assertEqual(self.body("/x", host="a.b.example.test"), (200, "wild"))
        self.assertEqual(self.body("/x", host="x.api.example.test"), (200, "deeper"))
        self.assertEqual(self.body("/x", host="EXACT.api.example.test."), (200, "deeper"))
        self.assertEqual(self.body("/healthz", host="example.test"), (200, "ok"))  # default vhost
        self.assertEqual(self.body("/healthz", host="main.test:8080"), (200, "ok"))

    def test_vhost_redirect_keeps_uri(self):
        status, headers, _ = get(self.server.port, "/a/b?c=d", host="old.test")
        self.assertEqual(status, 301)
        self.assertEqual(headers["location"], ["https://new.test/a/b?c=d"])

    def test_invalid_host_is_400(self):
        self.assertEqual(self.body("/", host="bad host")[0], 400)

    def test_strict_mode(self):
        strict = self.start(STRICT, name="strict")
        self.assertEqual(get(strict.port, "/", host="only.test")[0], 200)
        status, _, body = get(strict.port, "/", host="other.test")
        self.assertEqual((status, body), (421, b"unknown host identity\n"))


if __name__ == "__main__":
    main()
