"""The reverse proxy (config-reference.md §7.3) against real upstreams started by the test
(`python3 -m http.server` and the echo server of upstreams.py): forwarded and stripped headers
both ways, Host handling, keep-alive reuse, 1 GiB streamed each way with bounded fluxheim
memory, failover past a dead upstream, no retry of a POST whose body was sent, 502/504,
error pages, and a WebSocket echo through the proxy."""

import base64
import hashlib
import json
import os
import socket
import struct
import subprocess
import sys
import threading
import time
import urllib.request

from harness import SiteTestCase, free_port, get, main, parse_response, wait_for_port

HERE = os.path.dirname(os.path.abspath(__file__))
GIB = 1 << 30

SITE = """
[server]
listen = ["127.0.0.1:{port}"]

[server.limits]
max_request_body_bytes = "2GiB"

[server.process]
pid_file = "{dir}/fluxheim.pid"

[metrics]
enabled = true
listen = "127.0.0.1:{metrics_port}"

[headers.request]
x_real_ip = true
forwarded = true

[[vhosts]]
name = "app"
hosts = ["app.test"]

[vhosts.proxy]
upstreams = [{upstreams}]
read_timeout_secs = 2
websocket = true

[[vhosts.proxy.error_pages]]
status = 503
path = "/503.html"
[vhosts.proxy.error_pages.web]
root = "{dir}/errors"

[[vhosts.routes]]
name = "override"
path_prefix = "/override/"
proxy = {{ upstreams = [{upstreams}], upstream_host = "backend.internal" }}

[[vhosts]]
name = "nows"
hosts = ["nows.test"]
[vhosts.proxy]
upstreams = [{upstreams}]

[[vhosts]]
name = "strict"
hosts = ["strict.test"]
[vhosts.proxy]
upstreams = [{upstreams}]
downstream_read_timeout_secs = 1
downstream_write_timeout_secs = 1

[[vhosts]]
name = "secure"
hosts = ["secure.test"]
[vhosts.proxy]
upstreams = [{upstreams}]
upstream_tls = true
upstream_sni = "{sni}"
upstream_ca_path = "{dir}/up.pem"
"""


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS")


class RssSampler:
    """Records the peak VmRSS of `pid` while it runs."""

    def __init__(self, pid):
        self.pid, self.peak, self.stop = pid, rss_kib(pid), False
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while not self.stop:
            self.peak = max(self.peak, rss_kib(self.pid))
            time.sleep(0.05)

    def finish(self):
        self.stop = True
        self.thread.join()
        return self.peak


def read_response(sock):
    """One response with a Content-Length or chunked body from a keep-alive socket."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed before the head")
        data += chunk
    status, headers, rest = parse_response(data)
    if "content-length" in headers:
        length = int(headers["content-length"][0])
        while len(rest) < length:
            rest += sock.recv(65536)
        return status, headers, rest
    body = b""
    while True:  # chunked
        while b"\r\n" not in rest:
            rest += sock.recv(65536)
        line, rest = rest.split(b"\r\n", 1)
        size = int(line, 16)
        while len(rest) < size + 2:
            rest += sock.recv(65536)
        body, rest = body + rest[:size], rest[size + 2:]
        if size == 0:
            return status, headers, body


class ProxyTest(SiteTestCase):
    def setUp(self):
        super().setUp()
        self.procs = []
        self.write("errors/503.html", "maintenance page\n")

    def tearDown(self):
        for p in self.procs:
            if p.poll() is None:
                p.kill()
                p.wait()
        super().tearDown()

    def echo(self):
        port = free_port()
        proc = subprocess.Popen([sys.executable, os.path.join(HERE, "upstreams.py"), "echo", str(port)])
        self.procs.append(proc)
        wait_for_port(port, proc=proc)
        return port

    def http_server(self):
        port = free_port()
        self.write("static/file.txt", "from http.server\n")
        proc = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
                                 "--directory", self.path("static")],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.procs.append(proc)
        wait_for_port(port, proc=proc)
        return port

    def site(self, *ports, sni="up.test"):
        ups = ", ".join(f'"127.0.0.1:{p}"' for p in ports)
        self.metrics_port = free_port()
        if not os.path.exists(self.path("up.pem")):
            self.tls_echo_cert()
        return self.start(SITE.replace("{upstreams}", ups).replace("{sni}", sni)
                          .replace("{metrics_port}", str(self.metrics_port))
                          .replace("{{", "{").replace("}}", "}"))

    def tls_echo_cert(self):
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                        "-nodes", "-keyout", self.path("up.key"), "-out", self.path("up.pem"), "-days", "2",
                        "-subj", "/CN=up.test", "-addext", "subjectAltName=DNS:up.test"],
                       check=True, capture_output=True)

    def tls_echo(self, port=None):
        port = port or free_port()
        proc = subprocess.Popen([sys.executable, os.path.join(HERE, "upstreams.py"), "echo-tls", str(port),
                                 self.path("up.pem"), self.path("up.key")])
        self.procs.append(proc)
        wait_for_port(port, proc=proc)
        return port

    def metrics(self):
        with urllib.request.urlopen(f"http://127.0.0.1:{self.metrics_port}/metrics", timeout=5) as r:
            return r.read().decode()

    def count(self, port):
        _, _, body = get(port, "/count")
        return json.loads(body)["count"]

    def test_request_headers_forwarded_and_stripped(self):
        up = self.echo()
        fx = self.site(up)
        host = f"app.test:{fx.port}"
        status, _, body = get(fx.port, "/a/b?x=1&y=2", host=host, headers=[
            "Connection: X-Drop-Me", "X-Drop-Me: 1", "Keep-Alive: timeout=5", "TE: trailers",
            "Proxy-Authorization: Basic eA==", "Proxy-Connection: keep-alive",
            "X-Forwarded-For: 6.6.6.6", "X-Real-IP: 6.6.6.6", "X-Custom: yes"])
        self.assertEqual(status, 200, body)
        seen = json.loads(body)
        headers = {k.lower(): v for k, v in seen["headers"]}
        self.assertEqual(seen["target"], "/a/b?x=1&y=2")
        self.assertEqual(headers["host"], host)
        self.assertEqual(headers["x-forwarded-for"], "127.0.0.1")  # spoofed value replaced
        self.assertEqual(headers["x-real-ip"], "127.0.0.1")
        self.assertEqual(headers["x-forwarded-host"], host)
        self.assertEqual(headers["x-forwarded-proto"], "http")
        self.assertEqual(headers["forwarded"], f'for=127.0.0.1;proto=http;host="{host}"')
        self.assertEqual(headers["x-custom"], "yes")
        for hop in ("connection", "x-drop-me", "keep-alive", "te", "proxy-authorization",
                    "proxy-connection", "upgrade", "transfer-encoding"):
            self.assertNotIn(hop, headers)

    def test_upstream_host_overrides_host(self):
        up = self.echo()
        fx = self.site(up)
        _, _, body = get(fx.port, "/override/x", host="app.test")
        headers = {k.lower(): v for k, v in json.loads(body)["headers"]}
        self.assertEqual(headers["host"], "backend.internal")
        self.assertEqual(headers["x-forwarded-host"], "app.test")

    def test_response_hop_by_hop_headers_stripped(self):
        fx = self.site(self.echo())
        status, headers, body = get(fx.port, "/hop", host="app.test")
        self.assertEqual((status, body), (200, b"hop\n"))
        self.assertEqual(headers["x-normal"], ["kept"])
        for hop in ("x-conn-named", "keep-alive", "proxy-authenticate", "trailer", "proxy-connection"):
            self.assertNotIn(hop, headers)
        self.assertEqual(headers["connection"], ["close"])  # ours, for the client's request
        self.assertEqual(headers["server"], ["fluxheim"])

    def test_keepalive_connection_reused(self):
        up = self.echo()
        fx = self.site(up)
        with socket.create_connection(("127.0.0.1", fx.port), timeout=5) as s:
            peers = []
            for _ in range(3):
                s.sendall(b"GET /k HTTP/1.1\r\nHost: app.test\r\n\r\n")
                status, _, body = read_response(s)
                self.assertEqual(status, 200)
                peers.append(json.loads(body)["peer_port"])
        self.assertEqual(len(set(peers)), 1, peers)
        labels = f'vhost="app",scope="vhost",upstream="127.0.0.1:{up}"'
        text = self.metrics()
        self.assertIn(f'fluxheim_proxy_upstream_requests_total{{{labels},outcome="ok"}} 3', text)
        self.assertIn(f'fluxheim_proxy_upstream_pool_idle_connections{{{labels}}} 1', text)
        self.assertIn(f'fluxheim_proxy_upstream_pool_active_connections{{{labels}}} 0', text)

    def test_tls_upstream_verified_by_ca_and_name(self):
        self.tls_echo_cert()
        up = self.tls_echo()
        fx = self.site(up)
        status, _, body = get(fx.port, "/secure", host="secure.test")
        self.assertEqual(status, 200, body)
        self.assertEqual(json.loads(body)["target"], "/secure")

    def test_tls_upstream_connection_is_kept_alive(self):
        self.tls_echo_cert()
        up = self.tls_echo()
        fx = self.site(up)
        with socket.create_connection(("127.0.0.1", fx.port), timeout=5) as s:
            peers = []
            for _ in range(3):
                s.sendall(b"GET /k HTTP/1.1\r\nHost: secure.test\r\n\r\n")
                status, _, body = read_response(s)
                self.assertEqual(status, 200, body)
                peers.append(json.loads(body)["peer_port"])
        self.assertEqual(len(set(peers)), 1, peers)  # one TLS connection, one handshake
        text = self.metrics()
        self.assertRegex(text, r'fluxheim_proxy_upstream_pool_idle_connections\{[^}]*\} 1')

    def test_stale_tls_upstream_connection_is_retried_on_a_fresh_one(self):
        self.tls_echo_cert()
        up = self.tls_echo()
        fx = self.site(up)
        self.assertEqual(get(fx.port, "/first", host="secure.test")[0], 200)
        old = self.procs.pop()  # the upstream restarts: the parked connection is dead
        old.terminate()
        old.wait(timeout=10)
        self.tls_echo(port=up)
        status, _, body = get(fx.port, "/second", host="secure.test")
        self.assertEqual(status, 200, body)
        self.assertEqual(json.loads(body)["target"], "/second")

    def test_client_body_stall_uses_the_proxy_read_timeout(self):
        fx = self.site(self.echo())
        with socket.create_connection(("127.0.0.1", fx.port), timeout=10) as s:
            s.sendall(b"POST /upload HTTP/1.1\r\nHost: strict.test\r\nContent-Length: 10\r\n\r\nabc")
            start = time.monotonic()
            status, _, _ = read_response(s)
            elapsed = time.monotonic() - start
        self.assertEqual(status, 408)
        self.assertLess(elapsed, 5)  # downstream_read_timeout_secs = 1; the server's default is 60

    def test_client_that_stops_reading_is_cut_by_the_proxy_write_timeout(self):
        fx = self.site(self.echo())
        size = 256 * 1024 * 1024
        with socket.socket() as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            s.connect(("127.0.0.1", fx.port))
            s.sendall(b"GET /download?size=%d HTTP/1.1\r\nHost: strict.test\r\n\r\n" % size)
            time.sleep(3)  # read nothing: fluxheim's writes make no progress
            s.settimeout(10)
            got = 0
            try:
                while chunk := s.recv(1 << 20):
                    got += len(chunk)
            except ConnectionResetError:
                pass
        self.assertLess(got, size)  # cut after downstream_write_timeout_secs, not delivered

    def test_tls_upstream_with_wrong_name_is_refused(self):
        self.tls_echo_cert()
        up = self.tls_echo()
        fx = self.site(up, sni="other.test")
        status, _, body = get(fx.port, "/secure", host="secure.test")
        self.assertEqual((status, body), (502, b"upstream unavailable\n"))
        self.assertIn('kind="tls_handshake"} 1', self.metrics())

    def test_http_server_upstream_and_head(self):
        fx = self.site(self.http_server())
        status, _, body = get(fx.port, "/file.txt", host="app.test")
        self.assertEqual((status, body), (200, b"from http.server\n"))
        status, headers, body = get(fx.port, "/file.txt", host="app.test", method="HEAD")
        self.assertEqual((status, body, headers["content-length"]), (200, b"", ["17"]))

    def test_failover_when_one_upstream_is_down(self):
        dead = free_port()  # nothing listens there
        live = self.http_server()
        fx = self.site(dead, live)
        for _ in range(6):  # round-robin starts on each upstream in turn
            status, _, body = get(fx.port, "/file.txt", host="app.test")
            self.assertEqual((status, body), (200, b"from http.server\n"))

    def test_post_whose_body_was_sent_is_not_retried(self):
        a, b = self.echo(), self.echo()
        fx = self.site(a, b)
        status, _, body = get(fx.port, "/drop", host="app.test", method="POST", body=b"x" * 100000)
        self.assertEqual(status, 502, body)
        self.assertEqual(body, b"upstream closed the connection\n")
        self.assertEqual(self.count(a) + self.count(b), 1)

    def test_502_when_every_upstream_is_down(self):
        fx = self.site(free_port(), free_port())
        status, headers, body = get(fx.port, "/", host="app.test")
        self.assertEqual((status, body), (502, b"upstream unavailable\n"))
        self.assertEqual(headers["content-type"], ["text/plain; charset=utf-8"])
        self.assertIn('kind="connect_refused"} 1', self.metrics())

    def test_504_on_read_timeout(self):
        fx = self.site(self.echo())
        started = time.time()
        status, _, body = get(fx.port, "/slow?secs=5", host="app.test")
        self.assertEqual((status, body), (504, b"upstream timed out\n"))
        self.assertLess(time.time() - started, 4.5)

    def test_error_page_intercepts_upstream_status(self):
        fx = self.site(self.echo())
        status, headers, body = get(fx.port, "/status/503", host="app.test")
        self.assertEqual((status, body), (503, b"maintenance page\n"))
        self.assertEqual(headers["cache-control"], ["private, no-store"])
        status, _, body = get(fx.port, "/status/404", host="app.test")
        self.assertEqual((status, body), (404, b"upstream says 404\n"))

    def test_chunked_request_body_is_reframed(self):
        fx = self.site(self.echo())
        payload = os.urandom(3 * 1024 * 1024 + 7)
        chunks = b"".join(b"%x\r\n%s\r\n" % (len(payload[i:i + 100000]), payload[i:i + 100000])
                          for i in range(0, len(payload), 100000)) + b"0\r\n\r\n"
        with socket.create_connection(("127.0.0.1", fx.port), timeout=10) as s:
            s.sendall(b"PUT /up HTTP/1.1\r\nHost: app.test\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks)
            status, _, body = read_response(s)
        seen = json.loads(body)
        self.assertEqual((status, seen["length"]), (200, len(payload)))
        self.assertEqual(seen["sha256"], hashlib.sha256(payload).hexdigest())

    def test_one_gib_each_way_with_bounded_memory(self):
        fx = self.site(self.echo())
        pid = fx.proc.pid
        get(fx.port, "/warm", host="app.test")
        before = rss_kib(pid)
        sampler = RssSampler(pid)
        block = bytes(range(256)) * 4096
        with socket.create_connection(("127.0.0.1", fx.port), timeout=60) as s:
            s.sendall(b"POST /upload HTTP/1.1\r\nHost: app.test\r\nContent-Length: %d\r\n\r\n" % GIB)
            for _ in range(GIB // len(block)):
                s.sendall(block)
            status, _, body = read_response(s)
        seen = json.loads(body)
        self.assertEqual((status, seen["length"]), (200, GIB))
        expected = hashlib.sha256()
        for _ in range(GIB // len(block)):
            expected.update(block)
        self.assertEqual(seen["sha256"], expected.hexdigest())
        with socket.create_connection(("127.0.0.1", fx.port), timeout=60) as s:
            s.sendall(b"GET /download?size=%d HTTP/1.1\r\nHost: app.test\r\nConnection: close\r\n\r\n" % GIB)
            head = b""
            while b"\r\n\r\n" not in head:
                head += s.recv(65536)
            head, _, got = head.partition(b"\r\n\r\n")
            received = len(got)
            while True:
                chunk = s.recv(1 << 20)
                if not chunk:
                    break
                received += len(chunk)
        self.assertIn(b"200", head.split(b"\r\n")[0])
        self.assertIn(b"Content-Length: %d" % GIB, head)
        self.assertEqual(received, GIB)
        growth_mib = (sampler.finish() - before) / 1024
        print(f"fluxheim RSS growth for 1 GiB up + 1 GiB down: {growth_mib:.1f} MiB", file=sys.stderr)
        self.assertLess(growth_mib, 64)

    def websocket(self, port, host):
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        key = base64.b64encode(os.urandom(16)).decode()
        s.sendall((f"GET /ws HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                   f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            head += s.recv(1)
        return s, key, parse_response(head)

    def test_websocket_echo_through_the_proxy(self):
        fx = self.site(self.echo())
        s, key, (status, headers, _) = self.websocket(fx.port, "app.test")
        self.assertEqual(status, 101)
        accept = base64.b64encode(hashlib.sha1((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")
                                               .encode()).digest()).decode()
        self.assertEqual(headers["sec-websocket-accept"], [accept])
        self.assertEqual(headers["upgrade"], ["websocket"])
        for payload, opcode in ((b"hello", 1), (os.urandom(200000), 2)):
            s.sendall(ws_client_frame(opcode, payload))
            self.assertEqual(ws_client_read(s), (opcode, payload))
        s.sendall(ws_client_frame(8, struct.pack("!H", 1000)))
        self.assertEqual(ws_client_read(s)[0], 8)
        s.close()

    def test_websocket_not_tunnelled_when_not_enabled(self):
        fx = self.site(self.echo())
        status, _, body = get(fx.port, "/ws", host="nows.test", headers=[
            "Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
            "Sec-WebSocket-Version: 13"])
        self.assertEqual(status, 200)  # forwarded as a plain GET, without Upgrade
        headers = {k.lower(): v for k, v in json.loads(body)["headers"]}
        self.assertNotIn("upgrade", headers)
        self.assertEqual(headers["sec-websocket-key"], "dGhlIHNhbXBsZSBub25jZQ==")


def ws_client_frame(opcode, payload):
    """A masked client frame (RFC 6455 §5.3)."""
    mask = os.urandom(4)
    n = len(payload)
    head = bytes([0x80 | opcode])
    if n < 126:
        head += bytes([0x80 | n])
    elif n < 65536:
        head += bytes([0x80 | 126]) + struct.pack("!H", n)
    else:
        head += bytes([0x80 | 127]) + struct.pack("!Q", n)
    return head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


def ws_client_read(sock):
    def exact(n):
        data = b""
        while len(data) < n:
            chunk = sock.recv(n - len(data))
            if not chunk:
                raise ConnectionError("closed")
            data += chunk
        return data
    head = exact(2)
    n = head[1] & 0x7F
    if n == 126:
        n = struct.unpack("!H", exact(2))[0]
    elif n == 127:
        n = struct.unpack("!Q", exact(8))[0]
    return head[0] & 0x0F, exact(n)


if __name__ == "__main__":
    main()
