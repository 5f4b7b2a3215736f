"""HTTP/1.1 edge cases of the runtime core (config-reference.md §1.1): every limit and timeout
answer, malformed requests, pipelining, keep-alive, HEAD, and a traversal corpus sent raw."""

import os
import re
import socket
import time

from harness import SiteTestCase, get, main, parse_response, raw_request

SITE = """
[server]
listen = ["127.0.0.1:{port}"]

[server.process]
pid_file = "{dir}/fluxheim.pid"

[server.limits]
max_request_header_bytes = "2KiB"
max_uri_bytes = 512
max_request_headers = 20
max_request_body_bytes = "64KiB"
header_read_timeout_secs = 2
keepalive_timeout_secs = 2
body_read_timeout_secs = 2

[[vhosts]]
name = "site"
hosts = ["localhost", "site.test"]

[vhosts.web]
root = "{dir}/public"
deny_path_prefixes = ["/private/"]

[[vhosts.routes]]
name = "echo"
path_exact = "/form"
[vhosts.routes.respond]
status = 200
body = "form ok"
"""

# Request targets that must never leak anything outside the web root or a dotfile/denied path.
TRAVERSAL = [
    "/../secret.txt", "/..%2fsecret.txt", "/%2e%2e/secret.txt", "/%2e%2e%2fsecret.txt",
    "/..%5csecret.txt", "/%252e%252e/secret.txt", "/a/../../secret.txt", "/./../secret.txt",
    "/.%2e/secret.txt", "/%2e./secret.txt", "/..;/secret.txt", "/....//secret.txt",
    "/%c0%ae%c0%ae/secret.txt", "/%c0%af../secret.txt", "/%e0%80%ae%e0%80%ae/secret.txt",
    "/..%00/secret.txt", "/index.html%00.txt", "/%00", "/.env", "/%2eenv", "/.git/config",
    "/%2egit/config", "/sub/../.env", "/private/key.txt", "/%70rivate/key.txt",
    "/PRIVATE/../private/key.txt", "/sub/%2e%2e/.env", "/escape/secret.txt",
    "/escape-file", "//../secret.txt", "/sub//../../secret.txt", "/\\../secret.txt",
    "/%5c..%5csecret.txt", "/sub/..%2f..%2fsecret.txt", "/.%2E/.%2E/secret.txt",
    "/%u002e%u002e/secret.txt", "/..%c0%afsecret.txt", "/..%252fsecret.txt",
    "/sub/%2e%2e%2f%2e%2e%2fsecret.txt", "/index.html/../../secret.txt",
    "/private%2fkey.txt", "/sub/.hidden/file.txt", "/%2e%2e/%2e%2e/etc/passwd",
    "/../../../../etc/passwd",
]


class HttpLimits(SiteTestCase):
    def setUp(self):
        super().setUp()
        self.write("secret.txt", "TOP-SECRET-OUTSIDE\n")
        self.write("public/index.html", "<p>home</p>\n")
        self.write("public/file.txt", "0123456789")
        self.write("public/.env", "TOP-SECRET-DOTFILE\n")
        self.write("public/.git/config", "TOP-SECRET-GIT\n")
        self.write("public/private/key.txt", "TOP-SECRET-PRIVATE\n")
        self.write("public/sub/.hidden/file.txt", "TOP-SECRET-HIDDEN\n")
        self.write("public/sub/page.txt", "sub page\n")
        os.symlink(self.path(), self.path("public/escape"))
        os.symlink(self.path("secret.txt"), self.path("public/escape-file"))
        self.server = self.start(SITE)
        self.port = self.server.port

    def send(self, data, **kw):
        return parse_response(raw_request(self.port, data, **kw))

    def test_traversal_corpus_never_leaks(self):
        self.assertGreaterEqual(len(TRAVERSAL), 40)
        for target in TRAVERSAL:
            with self.subTest(target=target):
                raw = raw_request(self.port, f"GET {target} HTTP/1.1\r\nHost: localhost\r\n"
                                             f"Connection: close\r\n\r\n".encode())
                self.assertNotIn(b"TOP-SECRET", raw)
                self.assertTrue(raw.startswith(b"HTTP/1.1 "), raw[:80])
                self.assertNotEqual(parse_response(raw)[0], 200, target)

    def test_uri_too_long_is_414(self):
        status, _, _ = self.send(b"GET /" + b"a" * 600 + b" HTTP/1.1\r\nHost: localhost\r\n\r\n")
        self.assertEqual(status, 414)

    def test_headers_too_large_or_too_many_is_431(self):
        big = b"X-Big: " + b"b" * 3000 + b"\r\n"
        self.assertEqual(self.send(b"GET / HTTP/1.1\r\nHost: localhost\r\n" + big + b"\r\n")[0], 431)
        many = b"".join(b"X-H%d: v\r\n" % i for i in range(25))
        self.assertEqual(self.send(b"GET / HTTP/1.1\r\nHost: localhost\r\n" + many + b"\r\n")[0], 431)

    def test_body_too_large_is_413_and_closes(self):
        status, headers, _ = self.send(b"POST /form HTTP/1.1\r\nHost: localhost\r\n"
                                       b"Content-Length: 100000\r\n\r\n")
        self.assertEqual(status, 413)
        self.assertEqual(headers["connection"], ["close"])

    def test_malformed_requests_are_400(self):
        for raw in (b"GARBAGE\r\n\r\n", b"GET / HTTP/1.1\r\n\r\n",  # HTTP/1.1 without Host
                    b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
                    b"GET / HTTP/1.1\r\nHost: localhost\r\nBad Header\r\n\r\n",
                    b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n"
                    b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                    b"GET * HTTP/1.1\r\nHost: localhost\r\n\r\n",
                    b"CONNECT localhost:443 HTTP/1.1\r\nHost: localhost\r\n\r\n"):
            with self.subTest(raw=raw[:40]):
                self.assertEqual(self.send(raw)[0], 400)

    def test_unsupported_version_and_coding(self):
        self.assertEqual(self.send(b"GET / HTTP/2.0\r\nHost: localhost\r\n\r\n")[0], 505)
        self.assertEqual(self.send(b"POST /form HTTP/1.1\r\nHost: localhost\r\n"
                                   b"Transfer-Encoding: gzip\r\n\r\n")[0], 501)

    def test_slow_header_gets_408_and_close(self):
        start = time.time()
        with socket.create_connection(("127.0.0.1", self.port), timeout=10) as s:
            s.sendall(b"GET / HTTP/1.1\r\nHost: loc")
            for _ in range(10):  # a byte every 0.5 s keeps a per-byte timer alive, not ours
                time.sleep(0.5)
                try:
                    s.sendall(b"a")
                except OSError:
                    break
            data = s.recv(4096)
        self.assertTrue(data.startswith(b"HTTP/1.1 408"), data[:40])
        self.assertLess(time.time() - start, 4)

    def test_slow_body_gets_408(self):
        with socket.create_connection(("127.0.0.1", self.port), timeout=10) as s:
            s.sendall(b"POST /form HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\nab")
            data = s.recv(4096)
        self.assertTrue(data.startswith(b"HTTP/1.1 200") or data.startswith(b"HTTP/1.1 408"))

    def test_idle_keepalive_connection_is_closed(self):
        with socket.create_connection(("127.0.0.1", self.port), timeout=10) as s:
            s.sendall(b"GET /file.txt HTTP/1.1\r\nHost: localhost\r\n\r\n")
            first = b""
            while b"0123456789" not in first:
                first += s.recv(4096)
            start = time.time()
            self.assertEqual(s.recv(4096), b"")  # closed by the keep-alive timeout
            self.assertLess(time.time() - start, 4)

    def test_pipelined_requests_are_answered_in_order(self):
        reqs = b"".join(f"GET {p} HTTP/1.1\r\nHost: localhost\r\n\r\n".encode()
                        for p in ("/file.txt", "/sub/page.txt", "/missing", "/file.txt"))
        reqs += b"GET /index.html HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
        raw = raw_request(self.port, reqs)
        statuses = [int(m) for m in re.findall(rb"HTTP/1\.1 (\d{3}) ", raw)]
        self.assertEqual(statuses, [200, 200, 404, 200, 200])
        self.assertLess(raw.index(b"0123456789"), raw.index(b"sub page"))
        self.assertLess(raw.index(b"sub page"), raw.index(b"<p>home</p>"))

    def test_head_has_length_but_no_body(self):
        raw = raw_request(self.port, b"HEAD /file.txt HTTP/1.1\r\nHost: localhost\r\n"
                                     b"Connection: close\r\n\r\n")
        status, headers, body = parse_response(raw)
        self.assertEqual(status, 200)
        self.assertEqual(headers["content-length"], ["10"])
        self.assertEqual(body, b"")

    def test_http10_keepalive_and_close(self):
        raw = raw_request(self.port, b"GET /file.txt HTTP/1.0\r\nHost: localhost\r\n\r\n")
        self.assertTrue(raw.startswith(b"HTTP/1.1 200"))
        self.assertIn(b"Connection: close", raw)

    def test_expect_100_continue(self):
        with socket.create_connection(("127.0.0.1", self.port), timeout=5) as s:
            s.sendall(b"POST /form HTTP/1.1\r\nHost: localhost\r\nContent-Length: 3\r\n"
                      b"Expect: 100-continue\r\n\r\n")
            s.settimeout(2)
            interim = s.recv(4096)
        # The respond route never reads the body, so no 100 is sent; the final answer comes.
        self.assertTrue(interim.startswith(b"HTTP/1.1 200"), interim)

    def _hold(self, port):
        """A keep-alive connection that completed one exchange (so it was surely accepted)."""
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        try:
            s.sendall(b"GET /file.txt HTTP/1.1\r\nHost: localhost\r\n\r\n")
            got = b""
            while b"0123456789" not in got:
                chunk = s.recv(4096)
                if not chunk:
                    raise ConnectionResetError("closed")
                got += chunk
            return s
        except OSError:
            s.close()
            return None

    def test_connections_beyond_max_connections_are_closed_at_once(self):
        capped = self.start(SITE.replace("body_read_timeout_secs = 2",
                                         "body_read_timeout_secs = 2\nmax_connections = 2"),
                            name="capped")
        held = []
        deadline = time.time() + 5
        while len(held) < 2 and time.time() < deadline:
            # The start-up probe's connection may not be reaped yet: retry until two fit.
            s = self._hold(capped.port)
            if s is None:
                time.sleep(0.1)
            else:
                held.append(s)
        try:
            self.assertEqual(len(held), 2)
            with socket.create_connection(("127.0.0.1", capped.port), timeout=3) as extra:
                extra.sendall(b"GET /file.txt HTTP/1.1\r\nHost: localhost\r\n\r\n")
                try:
                    self.assertEqual(extra.recv(4096), b"")
                except ConnectionResetError:
                    pass  # closed before our request arrived
        finally:
            for s in held:
                s.close()
        time.sleep(0.3)
        self.assertEqual(get(capped.port, "/file.txt")[0], 200)

if __name__ == "__main__":
    main()
