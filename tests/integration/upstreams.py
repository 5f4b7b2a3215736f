"""Upstream servers for the proxy tests, stdlib only, each run as its own process
(`python3 upstreams.py echo PORT`) so the test can stop it by pid.

echo: every request is answered with JSON describing it (method, target, headers in order, body
length and SHA-256, read with back-pressure), except:
  /download?size=N   N bytes of a fixed pattern, with Content-Length, written in 1 MiB steps
  /slow?secs=N       answers after N seconds
  /hop               a response carrying hop-by-hop headers that must not reach the client
  /drop              reads the request body, then closes without answering
  /count             how many requests this process has seen (not counted itself)
  /ws                a WebSocket echo endpoint (RFC 6455; text and binary frames, close)
echo-tls: the same behind TLS with the given certificate and key.
"""

import base64
import hashlib
import json
import ssl
import struct
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
PATTERN = bytes(range(256)) * 4096  # 1 MiB

_count = 0
_count_lock = threading.Lock()


def read_body(rfile, headers):
    """Reads a Content-Length or chunked body in 1 MiB steps; returns (length, sha256 hex)."""
    digest = hashlib.sha256()
    total = 0
    if headers.get("Transfer-Encoding", "").lower() == "chunked":
        while True:
            size = int(rfile.readline().split(b";")[0].strip(), 16)
            if size == 0:
                while rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass
                break
            left = size
            while left:
                data = rfile.read(min(left, 1 << 20))
                if not data:
                    raise ConnectionError("short chunk")
                digest.update(data)
                left -= len(data)
                total += len(data)
            rfile.readline()
    else:
        left = int(headers.get("Content-Length") or 0)
        while left:
            data = rfile.read(min(left, 1 << 20))
            if not data:
                raise ConnectionError("short body")
            digest.update(data)
            left -= len(data)
            total += len(data)
    return total, digest.hexdigest()


def ws_frame(opcode, payload):
    head = bytes([0x80 | opcode])
    n = len(payload)
    if n < 126:
        head += bytes([n])
    elif n < 65536:
        head += bytes([126]) + struct.pack("!H", n)
    else:
        head += bytes([127]) + struct.pack("!Q", n)
    return head + payload


def ws_read(rfile):
    """One frame: (opcode, unmasked payload) or (None, b'') at EOF."""
    head = rfile.read(2)
    if len(head) < 2:
        return None, b""
    opcode, n = head[0] & 0x0F, head[1] & 0x7F
    if n == 126:
        n = struct.unpack("!H", rfile.read(2))[0]
    elif n == 127:
        n = struct.unpack("!Q", rfile.read(8))[0]
    mask = rfile.read(4) if head[1] & 0x80 else b"\0\0\0\0"
    data = rfile.read(n)
    return opcode, bytes(b ^ mask[i % 4] for i, b in enumerate(data))


class Echo(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _respond(self, status, body, ctype="application/json", extra=()):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for name, value in extra:
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _any(self):
        global _count
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        if url.path == "/count":
            return self._respond(200, json.dumps({"count": _count}).encode())
        with _count_lock:
            _count += 1
        if url.path == "/ws" and "websocket" in self.headers.get("Upgrade", "").lower():
            return self._websocket()
        length, sha = read_body(self.rfile, self.headers)
        if url.path == "/drop":
            self.close_connection = True
            self.connection.shutdown(2)
            return
        if url.path == "/download":
            return self._download(int(query["size"][0]))
        if url.path == "/slow":
            time.sleep(float(query["secs"][0]))
        if url.path == "/hop":
            return self._respond(200, b"hop\n", "text/plain", [
                ("Connection", "X-Conn-Named"), ("X-Conn-Named", "secret"),
                ("Keep-Alive", "timeout=5"), ("Proxy-Authenticate", "Basic"),
                ("Trailer", "X-T"), ("Proxy-Connection", "keep-alive"), ("X-Normal", "kept")])
        if url.path.startswith("/status/"):
            code = int(url.path.rsplit("/", 1)[1])
            return self._respond(code, b"upstream says %d\n" % code, "text/plain")
        body = json.dumps({
            "method": self.command, "target": self.path, "version": self.request_version,
            "headers": [[k, v] for k, v in self.headers.items()],
            "length": length, "sha256": sha, "port": self.server.server_address[1],
            "peer_port": self.client_address[1],
        }).encode()
        self._respond(200, body)

    def _download(self, size):
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(size))
        self.end_headers()
        left = size
        while left:
            n = min(left, len(PATTERN))
            self.wfile.write(PATTERN[:n])
            left -= n

    def _websocket(self):
        key = self.headers.get("Sec-WebSocket-Key", "")
        accept = base64.b64encode(hashlib.sha1((key + WS_GUID).encode()).digest()).decode()
        self.send_response(101)
        self.send_header("Upgrade", "websocket")
        self.send_header("Connection", "Upgrade")
        self.send_header("Sec-WebSocket-Accept", accept)
        self.end_headers()
        self.wfile.flush()
        while True:
            opcode, payload = ws_read(self.rfile)
            if opcode is None:
                break
            if opcode == 8:
                self.wfile.write(ws_frame(8, payload))
                break
            self.wfile.write(ws_frame(opcode, payload))
            self.wfile.flush()
        self.close_connection = True

    do_GET = do_POST = do_PUT = do_HEAD = do_DELETE = do_PATCH = _any


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128


def main():
    """echo PORT, or echo-tls PORT CERT KEY (the same server behind TLS)."""
    kind, port = sys.argv[1], int(sys.argv[2])
    if kind not in ("echo", "echo-tls"):
        raise SystemExit(f"unknown upstream kind {kind}")
    server = Server(("127.0.0.1", port), Echo)
    if kind == "echo-tls":
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(sys.argv[3], sys.argv[4])
        server.socket = ctx.wrap_socket(server.socket, server_side=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
