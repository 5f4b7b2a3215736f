"""SIGHUP reload under load (applied and refused, zero failed requests), graceful shutdown with
requests in flight, the Prometheus endpoint, and log hygiene (cli.md §6, php-behaviour.md §15)."""

import json
import os
import re
import shutil
import signal
import subprocess
import threading
import time
import urllib.request

from harness import FLUXC, SiteTestCase, compile_site, free_port, get, main, raw_request
from phpfpm import PhpFpm

SITE = """
[server]
listen = ["127.0.0.1:{port}"]

[server.process]
pid_file = "{dir}/fluxheim.pid"
graceful_shutdown_timeout_seconds = 10

[logging]
format = "json"

[metrics]
enabled = true
listen = "127.0.0.1:{metrics_port}"

[[vhosts]]
name = "site"
hosts = ["localhost", "127.0.0.1"]

[vhosts.web]
root = "{dir}/public"

[[vhosts.routes]]
name = "version"
path_exact = "/version"
[vhosts.routes.respond]
status = 200
body = "{version}"

[[vhosts.routes]]
name = "slow"
path_exact = "/slow.php"
[vhosts.routes.php]
enabled = true
root = "{dir}/public"
request_timeout_secs = 20
[vhosts.routes.php.fpm]
socket = "{socket}"
"""


class ReloadAndShutdown(SiteTestCase):
    def setUp(self):
        super().setUp()
        self.write("public/index.html", "hello\n")
        self.write("public/slow.php", "<?php usleep(1500000); echo 'finished';")
        self.fpm = PhpFpm(self.dir, children=4).start()
        self.metrics_port = free_port()

    def tearDown(self):
        self.fpm.stop()
        super().tearDown()

    def site(self, version, port=None, listen_extra=""):
        text = (SITE.replace("{metrics_port}", str(self.metrics_port))
                .replace("{version}", version).replace("{socket}", self.fpm.socket))
        if listen_extra:
            text = text.replace('listen = ["127.0.0.1:{port}"]',
                                f'listen = ["127.0.0.1:{{port}}", "{listen_extra}"]')
        return text

    def rebuild(self, server, toml):
        path = self.write("site.toml", toml.replace("{port}", str(server.port))
                          .replace("{dir}", self.dir))
        compile_site(path, self.path("site.fxs"))

    def wrk(self, port, seconds):
        return subprocess.Popen(["wrk", "-t1", "-c8", f"-d{seconds}s",
                                 f"http://127.0.0.1:{port}/index.html"],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def test_reload_applied_and_refused_under_load_without_failures(self):
        server = self.start(self.site("v1"))
        self.assertEqual(get(server.port, "/version")[2], b"v1")
        load = self.wrk(server.port, 4)
        time.sleep(0.7)
        self.rebuild(server, self.site("v2"))  # snapshot-safe: a route body
        server.signal(signal.SIGHUP)
        time.sleep(0.7)
        self.assertEqual(get(server.port, "/version")[2], b"v2")
        self.rebuild(server, self.site("v3", listen_extra=f"127.0.0.1:{free_port()}"))
        server.signal(signal.SIGHUP)  # process-upgrade: a new listener
        time.sleep(0.7)
        self.assertEqual(get(server.port, "/version")[2], b"v2", "refused reload must not apply")
        out, _ = load.communicate(timeout=30)
        self.assertIn("Requests/sec", out)
        self.assertNotIn("Non-2xx", out)
        self.assertNotIn("Socket errors", out)
        time.sleep(0.3)
        lines = [json.loads(l) for l in server.log_text().splitlines() if l.startswith("{")]
        applied = [l for l in lines if l.get("msg") == "reload applied"]
        refused = [l for l in lines if l.get("msg") == "reload refused: process-upgrade changes"]
        self.assertEqual(len(applied), 1)
        self.assertEqual(applied[0]["generation"], 2)
        self.assertEqual(len(refused), 1)
        self.assertEqual(refused[0]["keys"], ["server.listen"])
        self.assertTrue(refused[0]["running"].startswith("sha256:"))
        metrics = urllib.request.urlopen(f"http://127.0.0.1:{self.metrics_port}/metrics").read().decode()
        self.assertIn('fluxheim_snapshot_reloads_total{result="applied"} 1', metrics)
        self.assertIn('fluxheim_snapshot_reloads_total{result="refused_process_upgrade"} 1', metrics)
        self.assertIn("fluxheim_snapshot_generation 2", metrics)

    def test_invalid_snapshot_on_reload_keeps_serving(self):
        server = self.start(self.site("v1"))
        with open(self.path("site.fxs"), "r+b") as f:
            f.seek(100)
            f.write(b"\xff\xff\xff\xff")
        server.signal(signal.SIGHUP)
        time.sleep(0.5)
        self.assertEqual(get(server.port, "/version")[2], b"v1")
        self.assertIn("reload refused: invalid snapshot", server.log_text())
        self.assertIn("checksum mismatch", server.log_text())

    def test_metrics_endpoint(self):
        server = self.start(self.site("v1"))
        get(server.port, "/index.html")
        get(server.port, "/missing")
        body = urllib.request.urlopen(f"http://127.0.0.1:{self.metrics_port}/metrics")
        self.assertIn("text/plain; version=0.0.4", body.headers["Content-Type"])
        text = body.read().decode()
        self.assertRegex(text, r'fluxheim_http_requests_total\{vhost="site",handler="static",method="GET",status="200"\} \d+')
        self.assertIn('handler="generated",method="GET",status="404"', text)
        self.assertIn("fluxheim_http_request_duration_seconds_bucket", text)
        self.assertIn("fluxheim_http_connections_active", text)
        self.assertRegex(text, r'fluxheim_snapshot_info\{hash="sha256:[0-9a-f]{64}",format_version="1.0"\} 1')
        status = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}",
                                 f"http://127.0.0.1:{self.metrics_port}/other"],
                                capture_output=True, text=True).stdout
        self.assertEqual(status, "404")

    def test_graceful_shutdown_finishes_in_flight_requests(self):
        server = self.start(self.site("v1"))
        results = []

        def slow():
            results.append(get(server.port, "/slow.php"))

        threads = [threading.Thread(target=slow) for _ in range(3)]
        for t in threads:
            t.start()
        time.sleep(0.5)
        server.signal(signal.SIGTERM)
        for t in threads:
            t.join(timeout=15)
        self.assertEqual([r[0] for r in results], [200, 200, 200])
        self.assertTrue(all(r[2] == b"finished" for r in results))
        self.assertEqual(server.proc.wait(timeout=15), 0)
        self.assertFalse(os.path.exists(self.path("fluxheim.pid")))

    def test_control_characters_never_reach_the_log(self):
        server = self.start(self.site("v1"))
        raw_request(server.port, b"GET /a%0d%0ainjected HTTP/1.1\r\nHost: localhost\r\n"
                                 b"X-Request-Id: abc\x01def\r\nConnection: close\r\n\r\n")
        raw_request(server.port, b"GET /\x1b[31mred HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        server.stop()
        log = server.log_text()
        for line in log.splitlines():
            self.assertTrue(line.startswith("{") and line.endswith("}"), line)
            json.loads(line)
            self.assertIsNone(re.search(r"[\x00-\x08\x0b-\x1f\x7f]", line), line)


if __name__ == "__main__":
    main()
