"""The HTTP cache in front of a real php-fpm (config-reference.md §10, php-behaviour.md §12):
HIT/MISS/BYPASS with PHP provably not run on hits (counter.php counts its executions), the
WordPress preset's logged-in bypass, Set-Cookie never stored, request coalescing, stale-if-error
with php-fpm down, stale-while-revalidate, predicates, metrics and the access log; and proxy
responses, buffered and streamed, in front of the echo upstream of upstreams.py."""

import hashlib
import json
import os
import shutil
import subprocess
import sys
import threading
import time
import urllib.request

from harness import SiteTestCase, free_port, get, main, wait_for_port
from phpfpm import PhpFpm

SITE_DIR = os.path.join(os.path.dirname(__file__), "php_site")

SITE = """
[server]
listen = ["127.0.0.1:{port}"]

[logging]
format = "json"
level = "info"

[metrics]
enabled = true
listen = "127.0.0.1:{metrics_port}"

[[vhosts]]
name = "cached"
hosts = ["cached.test"]

[vhosts.php]
enabled = true
root = "{dir}/site/public"
request_timeout_secs = 5
[vhosts.php.params]
COUNTER_DIR = "{dir}/counts"
[vhosts.php.fpm]
socket = "{socket}"

[vhosts.cache]
enabled = true
status_header = "X-Cache-Status"
hide_response_headers = ["x-powered-by"]
{cache_extra}
[vhosts.cache.status_ttls]
"200" = {ttl}
"404" = {ttl}
[vhosts.cache.memory]
enabled = true

[[vhosts]]
name = "wp"
hosts = ["wp.test"]

[vhosts.php]
enabled = true
preset = "wordpress"
root = "{dir}/site/public"
[vhosts.php.params]
COUNTER_DIR = "{dir}/counts"
[vhosts.php.fpm]
socket = "{socket}"

[vhosts.cache]
enabled = true
preset = "wordpress"
status_header = "X-Cache-Status"
[vhosts.cache.status_ttls]
"200" = 60
[vhosts.cache.memory]
enabled = true
"""


class CacheTest(SiteTestCase):
    def setUp(self):
        super().setUp()
        shutil.copytree(SITE_DIR, self.path("site"))
        os.makedirs(self.path("counts"))
        self.fpm = PhpFpm(self.dir, children=4)
        self.fpm.start()

    def tearDown(self):
        self.fpm.stop()
        super().tearDown()

    def site(self, cache_extra="", ttl=60, routes=""):
        self.metrics_port = free_port()
        toml = ((SITE + routes).replace("{cache_extra}", cache_extra).replace("{ttl}", str(ttl))
                .replace("{socket}", self.fpm.socket)
                .replace("{metrics_port}", str(self.metrics_port)))
        return self.start(toml)

    def runs(self, name):
        path = self.path("counts", name)
        if not os.path.exists(path):
            return 0
        with open(path) as f:
            return int(f.read() or 0)

    def fetch(self, port, target, host="cached.test", headers=(), method="GET"):
        status, h, body = get(port, target, host=host, headers=headers, method=method)
        return status, h.get("x-cache-status", [None])[0], h, body

    def metric(self, name, **labels):
        text = urllib.request.urlopen(f"http://127.0.0.1:{self.metrics_port}/metrics").read().decode()
        want = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
        for line in text.splitlines():
            if line.startswith(name + "{"):
                got = ",".join(sorted(line[len(name) + 1:line.index("}")].split(",")))
                if got == want:
                    return float(line.rsplit(" ", 1)[1])
        return 0.0

    def test_hit_after_miss_does_not_run_php(self):
        s = self.site()
        status, phase, headers, body = self.fetch(s.port, "/counter.php?n=a")
        self.assertEqual((status, phase, body), (200, "MISS", b"run 1 of a\n"))
        self.assertNotIn("x-powered-by", headers)  # hidden on the stored copy and the MISS alike
        for _ in range(3):
            status, phase, headers, body = self.fetch(s.port, "/counter.php?n=a")
            self.assertEqual((status, phase, body), (200, "HIT", b"run 1 of a\n"))
        self.assertEqual(self.runs("a"), 1)
        self.assertIn("age", headers)
        self.assertNotIn("x-powered-by", headers)
        # HEAD is answered from the GET entry; another query is another key.
        status, phase, headers, body = self.fetch(s.port, "/counter.php?n=a", method="HEAD")
        self.assertEqual((status, phase, body), (200, "HIT", b""))
        self.assertEqual(headers["content-length"], [str(len(b"run 1 of a\n"))])
        self.assertEqual(self.fetch(s.port, "/counter.php?n=a&x=1")[1], "MISS")
        self.assertEqual(self.runs("a"), 2)
        self.assertEqual(self.metric("fluxheim_cache_requests_total", vhost="cached", result="hit"), 4)
        self.assertEqual(self.metric("fluxheim_cache_requests_total", vhost="cached", result="miss"), 2)
        self.assertGreater(self.metric("fluxheim_cache_objects", zone="cached/vhost"), 0)
        s.stop()
        phases = [json.loads(line).get("cache") for line in s.log_text().splitlines()
                  if line.startswith("{") and '"msg":"access"' in line]
        self.assertEqual(phases.count("hit"), 4)
        self.assertEqual(phases.count("miss"), 2)

    def test_post_and_uncached_statuses_bypass_or_are_not_stored(self):
        s = self.site()
        status, phase, _, _ = self.fetch(s.port, "/counter.php?n=p", method="POST")
        self.assertEqual((status, phase), (200, "BYPASS"))
        self.fetch(s.port, "/counter.php?n=p", method="POST")
        self.assertEqual(self.runs("p"), 2)
        # 500 is not in status_ttls: fetched every time.
        for _ in range(2):
            status, phase, _, _ = self.fetch(s.port, "/counter.php?n=e&status=500")
            self.assertEqual((status, phase), (500, "MISS"))
        self.assertEqual(self.runs("e"), 2)
        self.assertEqual(self.metric("fluxheim_cache_requests_total", vhost="cached", result="no_store"), 2)

    def test_set_cookie_and_restrictive_origin_headers_are_never_stored(self):
        s = self.site()
        for _ in range(2):
            status, phase, headers, _ = self.fetch(s.port, "/counter.php?n=c&cookie=1")
            self.assertEqual((status, phase), (200, "MISS"))
            self.assertIn("sid=secret-session", headers["set-cookie"][0])
        self.assertEqual(self.runs("c"), 2)
        for _ in range(2):
            self.assertEqual(self.fetch(s.port, "/counter.php?n=ns&cc=private")[1], "MISS")
        self.assertEqual(self.runs("ns"), 2)
        # X-Accel-Expires: 0 becomes Cache-Control: no-store (php-behaviour.md §11).
        for _ in range(2):
            self.assertEqual(self.fetch(s.port, "/counter.php?n=xa&expires=0")[1], "MISS")
        self.assertEqual(self.runs("xa"), 2)

    def test_wordpress_preset_bypasses_logged_in_users(self):
        s = self.site()
        self.assertEqual(self.fetch(s.port, "/counter.php", host="wp.test")[1], "MISS")
        status, phase, _, body = self.fetch(s.port, "/counter.php", host="wp.test")
        self.assertEqual((phase, body), ("HIT", b"run 1 of default\n"))
        logged_in = ["Cookie: wordpress_logged_in_5f2a=admin%7C1700000000"]
        status, phase, _, body = self.fetch(s.port, "/counter.php", host="wp.test", headers=logged_in)
        self.assertEqual((status, phase, body), (200, "BYPASS", b"run 2 of default\n"))
        # The preset bypasses any query string and the admin area.
        self.assertEqual(self.fetch(s.port, "/counter.php?x=1", host="wp.test")[1], "BYPASS")
        self.assertEqual(self.runs("default"), 3)
        self.assertEqual(self.fetch(s.port, "/counter.php", host="wp.test")[1], "HIT")

    def test_concurrent_misses_are_coalesced_into_one_php_run(self):
        s = self.site()
        results = []
        lock = threading.Lock()

        def one():
            r = self.fetch(s.port, "/counter.php?n=co&sleep=600")
            with lock:
                results.append(r)

        threads = [threading.Thread(target=one) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(self.runs("co"), 1)
        self.assertEqual(sorted(r[1] for r in results), ["HIT"] * 7 + ["MISS"])
        self.assertTrue(all(r[3] == b"run 1 of co\n" for r in results))
        self.assertEqual(self.metric("fluxheim_cache_lock_waits_total", zone="cached/vhost"), 7)

    def test_lock_wait_timeout_sends_waiters_to_php_uncached(self):
        s = self.site('[vhosts.cache.lock]\nwait_timeout_secs = 1\nage_timeout_secs = 30\n')
        results = []
        threads = [threading.Thread(target=lambda: results.append(
            self.fetch(s.port, "/counter.php?n=lw&sleep=2500"))) for _ in range(3)]
        threads[0].start()
        time.sleep(0.3)
        for t in threads[1:]:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(self.runs("lw"), 3)
        self.assertEqual(sorted(r[1] for r in results), ["MISS"] * 3)

    def test_stale_if_error_when_php_fpm_is_down(self):
        s = self.site("stale_if_error_secs = 60", ttl=1)
        self.assertEqual(self.fetch(s.port, "/counter.php?n=s")[1], "MISS")
        self.fpm.stop()
        time.sleep(1.3)
        status, phase, _, body = self.fetch(s.port, "/counter.php?n=s")
        self.assertEqual((status, phase, body), (200, "STALE", b"run 1 of s\n"))
        # Nothing stored for this one: the gateway error goes through.
        status, phase, _, _ = self.fetch(s.port, "/counter.php?n=never")
        self.assertEqual((status, phase), (502, "MISS"))
        self.assertEqual(self.metric("fluxheim_cache_requests_total", vhost="cached", result="stale"), 1)

    def test_stale_if_error_covers_configured_statuses(self):
        s = self.site("stale_if_error_secs = 60\nstale_if_error_statuses = [503]", ttl=1)
        self.assertEqual(self.fetch(s.port, "/counter.php?n=st")[1], "MISS")
        time.sleep(1.3)
        # counter.php?n=st answers 200 again, so the expired object is replaced.
        self.assertEqual(self.fetch(s.port, "/counter.php?n=st")[1], "EXPIRED")
        self.assertEqual(self.runs("st"), 2)
        self.assertEqual(self.fetch(s.port, "/counter.php?n=st")[1], "HIT")

    def test_stale_while_revalidate_refreshes_in_the_background(self):
        s = self.site("stale_while_revalidate_secs = 60", ttl=1)
        self.assertEqual(self.fetch(s.port, "/counter.php?n=w&sleep=300")[1], "MISS")
        time.sleep(1.2)
        started = time.time()
        status, phase, _, body = self.fetch(s.port, "/counter.php?n=w&sleep=300")
        self.assertLess(time.time() - started, 0.25)  # not waiting for PHP
        self.assertEqual((phase, body), ("STALE", b"run 1 of w\n"))
        self.assertEqual(self.fetch(s.port, "/counter.php?n=w&sleep=300")[1], "UPDATING")
        # The refresh stores its response once PHP has finished (it sleeps 300 ms).
        deadline = time.time() + 5
        phase = None
        while phase != "HIT" and time.time() < deadline:
            time.sleep(0.1)
            status, phase, _, body = self.fetch(s.port, "/counter.php?n=w&sleep=300")
        self.assertEqual((phase, body), ("HIT", b"run 2 of w\n"))
        self.assertEqual(self.runs("w"), 2)

    def test_predicates_and_client_refresh(self):
        s = self.site("bypass_when = 'exists(header.x-debug)'\n"
                      "no_store_when = 'arg.draft == \"1\"'\n"
                      "allow_client_cache_refresh = true")
        self.assertEqual(self.fetch(s.port, "/counter.php?n=q", headers=["X-Debug: 1"])[1], "BYPASS")
        for _ in range(2):
            self.assertEqual(self.fetch(s.port, "/counter.php?n=d&draft=1")[1], "MISS")
        self.assertEqual(self.runs("d"), 2)
        self.assertEqual(self.fetch(s.port, "/counter.php?n=r")[1], "MISS")
        self.assertEqual(self.fetch(s.port, "/counter.php?n=r")[1], "HIT")
        status, phase, _, body = self.fetch(s.port, "/counter.php?n=r", headers=["Cache-Control: no-cache"])
        self.assertEqual((phase, body), ("MISS", b"run 2 of r\n"))
        self.assertEqual(self.fetch(s.port, "/counter.php?n=r")[2].get("x-cache-status"), ["HIT"])
        self.assertEqual(self.fetch(s.port, "/counter.php?n=r")[3], b"run 2 of r\n")

    def test_conditional_headers_reach_php_only_when_nothing_is_stored(self):
        s = self.site()
        cond = ["If-None-Match: \"v1\"", "Range: bytes=0-3"]
        status, phase, _, body = self.fetch(s.port, "/server.php?a=1", headers=cond)
        self.assertEqual((status, phase), (200, "MISS"))  # the full response, to be stored
        seen = json.loads(body)["_headers"]
        self.assertNotIn("HTTP_IF_NONE_MATCH", seen)
        self.assertNotIn("HTTP_RANGE", seen)
        status, phase, _, body = self.fetch(s.port, "/server.php?a=1", headers=cond, method="POST")
        self.assertEqual(phase, "BYPASS")
        seen = json.loads(body)["_headers"]
        self.assertIn("HTTP_IF_NONE_MATCH", seen)
        self.assertIn("HTTP_RANGE", seen)

    def test_routes_inherit_the_vhost_cache_or_overlay_their_own(self):
        # Appended to the "wp" vhost of SITE: its cache is the WordPress preset.
        routes = """
[[vhosts.routes]]
name = "inherit"
path_prefix = "/inherit/"
strip_prefix = "/inherit"
[vhosts.routes.php]
enabled = true
root = "{dir}/site/public"
[vhosts.routes.php.params]
COUNTER_DIR = "{dir}/counts"
[vhosts.routes.php.fpm]
socket = "{socket}"

[[vhosts.routes]]
name = "own"
path_prefix = "/own/"
strip_prefix = "/own"
[vhosts.routes.php]
enabled = true
root = "{dir}/site/public"
[vhosts.routes.php.params]
COUNTER_DIR = "{dir}/counts"
[vhosts.routes.php.fpm]
socket = "{socket}"
[vhosts.routes.cache]
status_header = "X-Route-Cache"
bypass_query = false
"""
        s = self.site(routes=routes)
        for expected in ("MISS", "HIT"):
            self.assertEqual(self.fetch(s.port, "/inherit/counter.php", host="wp.test")[1], expected)
            _, _, headers, _ = self.fetch(s.port, "/own/counter.php?n=o", host="wp.test")
            self.assertEqual(headers["x-route-cache"], [expected])
        # The overlay replaced bypass_query only: the preset's cookie rules still apply.
        _, _, headers, _ = self.fetch(s.port, "/own/counter.php?n=o", host="wp.test",
                                      headers=["Cookie: wordpress_logged_in_1=x"])
        self.assertEqual(headers["x-route-cache"], ["BYPASS"])
        self.assertEqual(self.runs("o"), 2)
        self.assertEqual(self.metric("fluxheim_cache_objects", zone="wp/route:own"), 1)
        self.assertEqual(self.metric("fluxheim_cache_objects", zone="wp/vhost"), 1)

    def test_expired_objects_are_fetched_again(self):
        s = self.site(ttl=1)
        self.assertEqual(self.fetch(s.port, "/counter.php?n=x")[1], "MISS")
        self.assertEqual(self.fetch(s.port, "/counter.php?n=x")[1], "HIT")
        time.sleep(1.2)
        self.assertEqual(self.fetch(s.port, "/counter.php?n=x")[1], "EXPIRED")
        self.assertEqual(self.runs("x"), 2)
        self.assertEqual(self.fetch(s.port, "/counter.php?n=x")[1], "HIT")


PROXY_SITE = """
[server]
listen = ["127.0.0.1:{port}"]

[[vhosts]]
name = "app"
hosts = ["app.test"]

[vhosts.proxy]
upstreams = ["127.0.0.1:{upstream}"]

[vhosts.cache]
enabled = true
status_header = "X-Cache-Status"
max_object_bytes = "1MiB"
[vhosts.cache.status_ttls]
"200" = 60
[vhosts.cache.memory]
enabled = true
max_size_bytes = "8MiB"
"""


class ProxyCacheTest(SiteTestCase):
    def setUp(self):
        super().setUp()
        self.upstream = free_port()
        self.proc = subprocess.Popen([sys.executable, os.path.join(os.path.dirname(__file__),
                                                                   "upstreams.py"),
                                      "echo", str(self.upstream)])
        wait_for_port(self.upstream, proc=self.proc)
        self.fx = self.start(PROXY_SITE.replace("{upstream}", str(self.upstream)))

    def tearDown(self):
        self.proc.terminate()
        self.proc.wait()
        super().tearDown()

    def upstream_requests(self):
        return json.loads(get(self.upstream, "/count")[2])["count"]

    def fetch(self, target):
        status, headers, body = get(self.fx.port, target, host="app.test")
        return status, headers.get("x-cache-status", [None])[0], body

    def test_buffered_and_streamed_responses_are_stored(self):
        status, phase, first = self.fetch("/small")
        self.assertEqual((status, phase), (200, "MISS"))
        self.assertEqual(self.fetch("/small"), (200, "HIT", first))
        # Over the proxy's 64 KiB buffer: streamed to the client and copied by the cache.
        status, phase, body = self.fetch("/download?size=300000")
        self.assertEqual((status, phase, len(body)), (200, "MISS", 300000))
        digest = hashlib.sha256(body).hexdigest()
        status, phase, body = self.fetch("/download?size=300000")
        self.assertEqual((status, phase), (200, "HIT"))
        self.assertEqual(hashlib.sha256(body).hexdigest(), digest)
        self.assertEqual(self.upstream_requests(), 2)

    def test_streamed_responses_over_max_object_bytes_pass_through(self):
        for _ in range(2):
            status, phase, body = self.fetch("/download?size=1500000")
            self.assertEqual((status, phase, len(body)), (200, "MISS", 1500000))
        self.assertEqual(self.upstream_requests(), 2)


if __name__ == "__main__":
    main()
