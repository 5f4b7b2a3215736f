"""The JSON admin API (cli.md §6.3, config-reference.md §6): bearer token (401 without or with a
wrong one), status, 404/405, cache purge by URL, key and prefix against a real php-fpm,
malformed and oversized bodies, reload applied / unchanged / 409 refused with keys / 422
invalid, the unix-socket listener (mode 0600), token_env, and the start-up re-check of the
token file's mode."""

import http.client
import json
import os
import re
import shutil
import signal
import socket
import stat
import subprocess
import threading
import time

from harness import FLUXC, FLUXHEIM, SiteTestCase, compile_site, free_port, get, main
from phpfpm import PhpFpm

SITE_DIR = os.path.join(os.path.dirname(__file__), "php_site")
TOKEN = "t0k3n-" + "x" * 40

SITE = """
[server]
listen = ["127.0.0.1:{port}"]
{extra_listen}

[logging]
format = "json"

[admin]
enabled = true
listen = "{admin_listen}"
{token_line}

[[vhosts]]
name = "cached"
hosts = ["cached.test"]

[vhosts.php]
enabled = true
root = "{dir}/site/public"
[vhosts.php.params]
COUNTER_DIR = "{dir}/counts"
[vhosts.php.fpm]
socket = "{socket}"

[vhosts.cache]
enabled = true
status_header = "X-Cache-Status"
[vhosts.cache.status_ttls]
"200" = 300
[vhosts.cache.memory]
enabled = true
{routes}
"""

VERSION_ROUTE = """
[[vhosts.routes]]
name = "version"
path_exact = "/version"
[vhosts.routes.respond]
status = 200
body = "v2"
"""


class UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, path):
        super().__init__("localhost", timeout=10)
        self.unix_path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(10)
        self.sock.connect(self.unix_path)


class AdminTest(SiteTestCase):
    def setUp(self):
        super().setUp()
        shutil.copytree(SITE_DIR, self.path("site"))
        os.makedirs(self.path("counts"))
        self.fpm = PhpFpm(self.dir, children=2)
        self.fpm.start()
        self.token_file = self.write("admin.token", TOKEN + "\n", mode=0o600)

    def tearDown(self):
        self.fpm.stop()
        super().tearDown()

    def toml(self, admin_listen=None, token_line=None, routes="", extra_listen=""):
        if admin_listen is None:
            self.admin_port = free_port()
            admin_listen = f"127.0.0.1:{self.admin_port}"
        self.admin_listen = admin_listen
        return (SITE.replace("{admin_listen}", self.admin_listen)
                .replace("{token_line}", token_line or f'token_file = "{self.token_file}"')
                .replace("{socket}", self.fpm.socket).replace("{routes}", routes)
                .replace("{extra_listen}", extra_listen))

    def site(self, **kw):
        return self.start(self.toml(**kw))

    def api(self, method, path, body=None, token=TOKEN, headers=None):
        if self.admin_listen.startswith("unix:"):
            conn = UnixHTTPConnection(self.admin_listen[5:])
        else:
            conn = http.client.HTTPConnection("127.0.0.1", self.admin_port, timeout=30)
        h = dict(headers or {})
        if token is not None:
            h["Authorization"] = f"Bearer {token}"
        conn.request(method, path, body=body, headers=h)
        r = conn.getresponse()
        data = r.read()
        conn.close()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, (json.loads(data) if data else None)

    def cached(self, port, target):
        status, headers, body = get(port, target, host="cached.test")
        return headers.get("x-cache-status", [None])[0]

    def test_requests_without_or_with_a_wrong_token_are_refused(self):
        self.site()
        for token in (None, "t0k3n-" + "y" * 40, TOKEN[:-1], TOKEN + "x", ""):
            status, headers, body = self.api("GET", "/v1/status", token=token)
            self.assertEqual((status, body), (401, {"error": "unauthorized"}), token)
            self.assertEqual(headers["www-authenticate"], "Bearer")
        status, _, _ = self.api("GET", "/v1/status", token=None,
                                headers={"Authorization": f"Basic {TOKEN}"})
        self.assertEqual(status, 401)
        # Unknown paths and purges are refused before anything else is looked at.
        self.assertEqual(self.api("GET", "/nope", token=None)[0], 401)
        self.assertEqual(self.api("POST", "/v1/cache/purge", body="{}", token="bad")[0], 401)
        # The scheme is case-insensitive (RFC 9110 §11.1).
        status, _, _ = self.api("GET", "/v1/status", token=None,
                                headers={"Authorization": f"bearer {TOKEN}"})
        self.assertEqual(status, 200)

    def test_status_unknown_paths_and_wrong_methods(self):
        s = self.site()
        status, headers, body = self.api("GET", "/v1/status")
        self.assertEqual(status, 200)
        self.assertEqual(headers["content-type"], "application/json")
        self.assertEqual(body["generation"], 1)
        self.assertRegex(body["snapshot"], r"^sha256:[0-9a-f]{64}$")
        self.assertRegex(body["started_at"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        self.assertEqual(body["managed_pools"], [])
        self.assertRegex(body["version"], r"^\d+\.\d+\.\d+$")
        status, _, body = self.api("GET", "/v1/nope")
        self.assertEqual((status, body), (404, {"error": "not found"}))
        status, headers, _ = self.api("POST", "/v1/status")
        self.assertEqual((status, headers["allow"]), (405, "GET"))
        status, headers, _ = self.api("GET", "/v1/reload")
        self.assertEqual((status, headers["allow"]), (405, "POST"))
        status, headers, _ = self.api("DELETE", "/v1/cache/purge")
        self.assertEqual((status, headers["allow"]), (405, "POST"))

    def test_purge_by_url_key_and_prefix(self):
        s = self.site()
        for target in ("/counter.php?n=a", "/counter.php?n=b", "/sub/index.php", "/status.php"):
            self.assertEqual(self.cached(s.port, target), "MISS")
            self.assertEqual(self.cached(s.port, target), "HIT")
        # Every variant (query) of the URL goes.
        status, _, body = self.api("POST", "/v1/cache/purge",
                                   json.dumps({"host": "Cached.Test", "path": "/counter.php"}))
        self.assertEqual((status, body), (200, {"purged": 2}))
        self.assertEqual(self.cached(s.port, "/counter.php?n=a"), "MISS")
        self.assertEqual(self.cached(s.port, "/counter.php?n=b"), "MISS")
        self.assertEqual(self.cached(s.port, "/status.php"), "HIT")
        status, _, body = self.api("POST", "/v1/cache/purge",
                                   json.dumps({"key": "GET cached.test/counter.php?n=a"}))
        self.assertEqual((status, body), (200, {"purged": 1}))
        self.assertEqual(self.cached(s.port, "/counter.php?n=a"), "MISS")
        self.assertEqual(self.cached(s.port, "/counter.php?n=b"), "HIT")
        status, _, body = self.api("POST", "/v1/cache/purge",
                                   json.dumps({"host": "cached.test", "prefix": "/sub/"}))
        self.assertEqual((status, body), (200, {"purged": 1}))
        self.assertEqual(self.cached(s.port, "/sub/index.php"), "MISS")
        self.assertEqual(self.cached(s.port, "/status.php"), "HIT")
        status, _, body = self.api("POST", "/v1/cache/purge",
                                   json.dumps({"host": "other.test", "prefix": "/"}))
        self.assertEqual((status, body), (200, {"purged": 0}))

    def test_malformed_and_oversized_purge_bodies(self):
        self.site()
        for bad in ("{", "[]", '"x"', "{}", '{"key": ""}', '{"key": 1}', '{"host": "h"}',
                    '{"host": "h", "path": "nope"}', '{"host": "h", "path": "/a", "prefix": "/"}',
                    '{"key": "k", "host": "h"}', '{"host": "h", "path": "/a", "x": 1}',
                    '{"host": "a b", "path": "/"}', b'{"key": "\xff"}'):
            status, _, body = self.api("POST", "/v1/cache/purge", bad)
            self.assertEqual(status, 400, bad)
            self.assertIn("error", body)
        big = json.dumps({"key": "k" * (64 * 1024)})
        status, _, body = self.api("POST", "/v1/cache/purge", big)
        self.assertEqual((status, body), (413, {"error": "payload too large"}))

    def test_reload_applied_unchanged_refused_and_invalid(self):
        s = self.site()
        status, _, body = self.api("POST", "/v1/reload")
        self.assertEqual((status, body), (200, {"result": "unchanged"}))
        self.assertNotEqual(get(s.port, "/version", host="cached.test")[2], b"v2")
        self.assertEqual(self.cached(s.port, "/counter.php?n=keep"), "MISS")
        # A snapshot-safe change, compiled over the running file.
        compile_site(self.write("site.toml", self.toml(admin_listen=self.admin_listen,
                                                       routes=VERSION_ROUTE)
                                .replace("{port}", str(s.port)).replace("{dir}", self.dir)),
                     self.path("site.fxs"))
        status, _, body = self.api("POST", "/v1/reload")
        self.assertEqual((status, body), (200, {"result": "applied", "generation": 2}))
        self.assertEqual(get(s.port, "/version", host="cached.test")[2], b"v2")
        self.assertEqual(self.api("GET", "/v1/status")[2]["generation"], 2)
        # The cache policy did not change: the zone and its objects survive the reload.
        self.assertEqual(self.cached(s.port, "/counter.php?n=keep"), "HIT")
        # A process-upgrade change is refused with its keys; the old generation keeps serving.
        compile_site(self.write("site.toml", self.toml(
            admin_listen=self.admin_listen, routes=VERSION_ROUTE,
            extra_listen="").replace('listen = ["127.0.0.1:{port}"]',
                                     f'listen = ["127.0.0.1:{s.port}", "127.0.0.1:{free_port()}"]')
            .replace("{dir}", self.dir)), self.path("site.fxs"))
        status, _, body = self.api("POST", "/v1/reload")
        self.assertEqual(status, 409)
        self.assertEqual(body["result"], "refused_process_upgrade")
        self.assertIn("server.listen", body["keys"])
        with open(self.path("site.fxs"), "wb") as f:
            f.write(b"not a snapshot")
        status, _, body = self.api("POST", "/v1/reload")
        self.assertEqual(status, 422)
        self.assertEqual(body["result"], "invalid")
        self.assertTrue(body["reason"])
        self.assertEqual(get(s.port, "/version", host="cached.test")[2], b"v2")
        s.stop()
        self.assertIn('"msg":"reload applied"', s.log_text())

    def rebuild(self, port, routes="", cache_extra=""):
        toml = self.toml(admin_listen=self.admin_listen, routes=routes)
        toml = toml.replace('status_header = "X-Cache-Status"',
                            'status_header = "X-Cache-Status"\n' + cache_extra)
        compile_site(self.write("site.toml", toml.replace("{port}", str(port))
                                .replace("{dir}", self.dir)), self.path("site.fxs"))

    def test_reload_with_a_changed_cache_policy_starts_a_cold_zone(self):
        s = self.site()
        self.assertEqual(self.cached(s.port, "/counter.php?n=z"), "MISS")
        self.assertEqual(self.cached(s.port, "/counter.php?n=z"), "HIT")
        self.rebuild(s.port, cache_extra="hide_response_headers = [\"x-powered-by\"]")
        self.assertEqual(self.api("POST", "/v1/reload")[2]["result"], "applied")
        self.assertEqual(self.cached(s.port, "/counter.php?n=z"), "MISS")
        self.assertEqual(self.cached(s.port, "/counter.php?n=z"), "HIT")

    def test_api_and_sighup_reloads_are_serialized(self):
        s = self.site()
        generation = 1
        for i in range(5):
            self.rebuild(s.port, routes=VERSION_ROUTE.replace("v2", f"round {i}"))
            results = []
            t = threading.Thread(target=lambda: results.append(self.api("POST", "/v1/reload")))
            t.start()
            s.signal(signal.SIGHUP)
            t.join()
            status, _, body = results[0]
            self.assertEqual(status, 200)
            self.assertIn(body["result"], ("applied", "unchanged"))
            # Exactly one of the two applied the new snapshot, whichever came first.
            generation += 1
            deadline = time.time() + 5
            while self.api("GET", "/v1/status")[2]["generation"] != generation:
                self.assertLess(time.time(), deadline, f"round {i}")
                time.sleep(0.05)
            if body["result"] == "applied":
                self.assertEqual(body["generation"], generation)
            self.assertEqual(get(s.port, "/version", host="cached.test")[2], f"round {i}".encode())
        time.sleep(0.3)
        self.assertEqual(self.api("GET", "/v1/status")[2]["generation"], generation)
        s.stop()
        # One application per new snapshot: the other attempt found it running already.
        self.assertEqual(s.log_text().count('"msg":"reload applied"'), 5)

    def test_unix_socket_listener_is_private(self):
        sock_dir = self.path("run")
        os.makedirs(sock_dir, mode=0o700)
        sock = os.path.join(sock_dir, "admin.sock")
        with socket.socket(socket.AF_UNIX) as stale:  # left behind by a crashed process
            stale.bind(sock)
        self.site(admin_listen=f"unix:{sock}")
        mode = os.stat(sock).st_mode
        self.assertTrue(stat.S_ISSOCK(mode))
        self.assertEqual(stat.S_IMODE(mode), 0o600)
        status, _, body = self.api("GET", "/v1/status")
        self.assertEqual((status, body["generation"]), (200, 1))
        self.assertEqual(self.api("GET", "/v1/status", token=None)[0], 401)
        self.servers[-1].stop()
        self.assertFalse(os.path.exists(sock))

    def test_token_from_the_environment(self):
        os.environ["FLUX_ADMIN_TOKEN_TEST"] = f"  {TOKEN}\n"
        try:
            self.site(token_line='token_env = "FLUX_ADMIN_TOKEN_TEST"')
        finally:
            del os.environ["FLUX_ADMIN_TOKEN_TEST"]
        self.assertEqual(self.api("GET", "/v1/status")[0], 200)
        self.assertEqual(self.api("GET", "/v1/status", token="wrong")[0], 401)

    def test_token_file_mode_and_length_are_checked_at_start(self):
        toml = self.write("site.toml", self.toml().replace("{port}", str(free_port()))
                          .replace("{dir}", self.dir))
        compile_site(toml, self.path("site.fxs"))
        os.chmod(self.token_file, 0o640)
        r = subprocess.run([FLUXHEIM, "run", self.path("site.fxs")], capture_output=True,
                           text=True, timeout=20)
        self.assertEqual(r.returncode, 78, r.stderr)
        self.assertIn("group/world-readable", r.stderr)
        os.chmod(self.token_file, 0o600)
        with open(self.token_file, "w") as f:
            f.write("short\n")
        r = subprocess.run([FLUXHEIM, "run", self.path("site.fxs")], capture_output=True,
                           text=True, timeout=20)
        self.assertEqual(r.returncode, 78, r.stderr)
        self.assertIn("32 to 4096 bytes", r.stderr)


if __name__ == "__main__":
    main()
