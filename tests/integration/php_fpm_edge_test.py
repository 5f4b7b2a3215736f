"""More of the PHP path against a real php-fpm 8.2: PATH_INFO, HEAD, absolute-form targets,
pass_request_headers, fpm_root mapping, a 50 MiB spooled upload, failover between two TCP pools,
an injection corpus, and keep-alive with 2 static children under 64 concurrent clients."""

import hashlib
import json
import os
import re
import shutil
import subprocess
import time

from harness import SiteTestCase, free_port, get, main, parse_response, raw_request
from phpfpm import PhpFpm

SITE_DIR = os.path.join(os.path.dirname(__file__), "php_site")

SITE = """
[server]
listen = ["127.0.0.1:{port}"]
[server.process]
pid_file = "{dir}/fluxheim.pid"
[logging.access]
enabled = false

[[vhosts]]
name = "php.test"
hosts = ["php.test", "127.0.0.1"]

[vhosts.php]
enabled = true
root = "{dir}/site/public"
request_timeout_secs = 5
{php_extra}

[vhosts.php.fpm]
{fpm}
"""

# Targets that must never execute a script they should not, or leak PHP source.
INJECTION = [
    "/wp-content/uploads/evil.php", "/wp-content/uploads/evil.php/x", "/%77p-content/uploads/evil.php",
    "/wp-content/./uploads/evil.php", "/wp-content//uploads/evil.php", "/assets/app.css/evil.php",
    "/assets/app.css%00.php", "/server.php%00.txt", "/.hidden.php", "/%2ehidden.php",
    "/sub/../.hidden.php", "/../public/server.php", "/%2e%2e/public/server.php",
    "/server.php/../../../etc/passwd", "/server.php%2f..%2f..%2fetc%2fpasswd", "/server.PHP%20",
    "/server.php.", "/server.php::$DATA", "/con.php", "/nul.php", "/aux.php/x", "/com1.php",
    "/lpt9.php", "/server.php%0a", "/server.php%0d%0aSet-Cookie:x=1", "/server.php\\x",
    "/sub\\..\\server.php", "/sub/%5c../server.php", "/a:b.php", "/server.php/.git/config",
    "/index.php/../../etc/passwd", "/%c0%ae%c0%ae/server.php", "/uploads/evil.php",
    "/files/evil.php", "/blogs.dir/evil.php", "/wp-content/blogs.dir/evil.php", "/.env",
    "/vendor/../.env", "/server.php?%00", "/server%2ephp/..", "/sub/index.php/extra",
]


class PhpFpmEdges(SiteTestCase):
    def setUp(self):
        super().setUp()
        shutil.copytree(SITE_DIR, self.path("site"))
        self.fpm = PhpFpm(self.dir, children=2).start()

    def tearDown(self):
        self.fpm.stop()
        super().tearDown()

    def site(self, php_extra="", fpm=None):
        fpm = fpm or f'socket = "{self.fpm.socket}"'
        return self.start(SITE.replace("{php_extra}", php_extra).replace("{fpm}", fpm))

    def test_path_info_split(self):
        s = self.site('path_info = "split"')
        status, _, body = get(s.port, "/server.php/a/b%20c?q=1", host="php.test")
        self.assertEqual(status, 200, body)
        v = json.loads(body)
        self.assertEqual(v["SCRIPT_NAME"], "/server.php")
        self.assertEqual(v["PATH_INFO"], "/a/b c")
        self.assertEqual(v["PATH_TRANSLATED"], os.path.realpath(self.path("site/public")) + "/a/b c")

    def test_path_info_disabled_refuses_trailing_segments(self):
        s = self.site()
        self.assertEqual(get(s.port, "/server.php/a/b", host="php.test")[0], 403)

    def test_head_gets_length_and_no_body(self):
        s = self.site()
        status, headers, body = get(s.port, "/method.php", host="php.test", method="HEAD")
        self.assertEqual(status, 200)
        # php-fpm itself discards output for HEAD; the framing gives what PHP produced.
        self.assertEqual(headers["content-length"], ["0"])
        self.assertEqual(body, b"")

    def test_absolute_form_target(self):
        s = self.site()
        raw = raw_request(s.port, b"GET http://php.test/server.php?x=1 HTTP/1.1\r\n"
                                  b"Host: ignored.test\r\nConnection: close\r\n\r\n")
        status, _, body = parse_response(raw)
        self.assertEqual(status, 200)
        v = json.loads(body)
        self.assertEqual(v["REQUEST_URI"], "/server.php?x=1")
        self.assertEqual(v["SERVER_NAME"], "ignored.test")

    def test_pass_request_headers_false(self):
        s = self.site("pass_request_headers = false")
        v = json.loads(get(s.port, "/server.php", host="php.test", headers=["X-Custom: 1"])[2])
        self.assertEqual(v["_headers"], [])

    def test_fpm_root_maps_script_filename(self):
        s = self.site('fpm_root = "/var/www/app"', fpm=f'socket = "{self.fpm.socket}"')
        status, _, body = get(s.port, "/server.php", host="php.test")
        # php-fpm is told a path that only exists "in its container": it answers 404.
        self.assertEqual(status, 404, body)

    def test_spooled_50_mib_upload_arrives_intact_and_leaves_no_file(self):
        spool = self.path("spool")
        s = self.site(f'max_request_body_bytes = "64MiB"\nrequest_body_spool_threshold_bytes = "1MiB"\n'
                      f'request_body_spool_dir = "{spool}"')
        payload = os.urandom(50 * 1024 * 1024)
        self.write("upload.bin", payload)
        out = subprocess.run(["curl", "-sS", "--max-time", "60", "-H", "Host: php.test",
                              "--data-binary", f"@{self.path('upload.bin')}",
                              "-H", "Content-Type: application/octet-stream",
                              f"http://127.0.0.1:{s.port}/upload.php"],
                             capture_output=True, text=True)
        self.assertEqual(out.returncode, 0, out.stderr)
        size = len(payload)
        self.assertEqual(out.stdout, f"{size} {size} {hashlib.sha256(payload).hexdigest()}\n")
        self.assertEqual(os.listdir(spool), [])
        self.assertEqual(oct(os.stat(spool).st_mode & 0o777), "0o700")

    def test_failover_between_tcp_pools_for_get_not_post(self):
        up, down = free_port(), free_port()
        pool = PhpFpm(self.dir, listen=f"127.0.0.1:{up}", name="up").start()
        try:
            s = self.site(fpm=f'tcp_upstreams = ["127.0.0.1:{down}", "127.0.0.1:{up}"]\n'
                              'allow_private_tcp_upstreams = true')
            for _ in range(4):  # round-robin starts on each upstream in turn
                self.assertEqual(get(s.port, "/method.php", host="php.test")[0], 200)
            posts = [get(s.port, "/method.php", host="php.test", method="POST", body=b"x")[0]
                     for _ in range(4)]
            self.assertIn(502, posts)  # POST never fails over
            self.assertIn(200, posts)
        finally:
            pool.stop()

    def test_injection_corpus_never_executes_or_leaks(self):
        s = self.site('preset = "wordpress"')
        self.assertGreaterEqual(len(INJECTION), 40)
        for target in INJECTION:
            with self.subTest(target=target):
                raw = raw_request(s.port, f"GET {target} HTTP/1.1\r\nHost: php.test\r\n"
                                          f"Connection: close\r\n\r\n".encode("latin-1"))
                self.assertTrue(raw.startswith(b"HTTP/1.1 "), raw[:60])
                self.assertNotIn(b"EXECUTED", raw)
                self.assertNotIn(b"<?php", raw)
                self.assertNotIn(b"Set-Cookie: x=1", raw)
                self.assertNotIn(b"root:x:0:0", raw)

    def test_keepalive_with_two_children_and_64_clients(self):
        s = self.site(php_extra="max_in_flight = 64\nmax_queued = 256",
                      fpm=f'socket = "{self.fpm.socket}"\nkeepalive = true\nmax_connections = 2\n'
                          'pool_max_idle = 2')
        out = subprocess.run(["wrk", "-t2", "-c64", "-d10s", "--timeout", "10s", "--latency",
                              f"http://127.0.0.1:{s.port}/method.php"],
                             capture_output=True, text=True).stdout
        self.assertIn("Requests/sec", out)
        self.assertNotIn("Non-2xx", out, out)
        self.assertNotIn("Socket errors", out, out)
        max_latency = re.search(r"Latency\s+\S+\s+\S+\s+(\S+)", out).group(1)
        seconds = float(max_latency[:-2]) / 1000 if max_latency.endswith("ms") else \
            float(max_latency[:-2]) / 1e6 if max_latency.endswith("us") else float(max_latency[:-1])
        self.assertLess(seconds, 5.0, out)  # php.request_timeout_secs


if __name__ == "__main__":
    main()
