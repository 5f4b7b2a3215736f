"""Shared helpers for the integration tests: temp sites, fluxc/fluxheim processes on free
loopback ports, raw HTTP over sockets, curl. Every process a test starts is stopped by pid."""

import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest

BIN_DIR = os.environ.get("FLUX_BIN_DIR") or os.path.join(
    os.path.dirname(__file__), "..", "..", "build", "bin")
FLUXC = os.path.join(BIN_DIR, "fluxc")
FLUXHEIM = os.path.join(BIN_DIR, "fluxheim")


def free_port():
    """A currently free loopback port below the kernel's ephemeral range, so the outgoing
    connections of tests running in parallel (which take ephemeral local ports) cannot hold it
    by the time the server binds it."""
    low, _ = (int(v) for v in open("/proc/sys/net/ipv4/ip_local_port_range").read().split())
    rng = random.SystemRandom()
    while True:
        port = rng.randrange(10000, max(low, 10001))
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port


def _listening_inodes(port):
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as f:
            next(f)
            for line in f:
                fields = line.split()
                if fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port:  # LISTEN
                    inodes.add(fields[9])
    return inodes


def _socket_inodes(pid):
    """Socket inodes held by pid and its descendants (php-fpm children, nginx workers)."""
    inodes, todo = set(), [pid]
    while todo:
        p = todo.pop()
        try:
            for fd in os.listdir(f"/proc/{p}/fd"):
                target = os.readlink(f"/proc/{p}/fd/{fd}")
                if target.startswith("socket:["):
                    inodes.add(target[8:-1])
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo.extend(int(c) for c in f.read().split())
        except OSError:
            continue  # exited meanwhile
    return inodes


def wait_for_port(port, timeout=10.0, proc=None):
    """Waits until `port` accepts connections; with `proc`, until that process (or one of its
    children) is the one listening, so a port taken by another test is not mistaken for ours."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"process exited early with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                pass
        except OSError:
            time.sleep(0.05)
            continue
        if proc is None or _listening_inodes(port) & _socket_inodes(proc.pid):
            return
        time.sleep(0.05)
    raise RuntimeError(f"port {port} did not open within {timeout}s")


def compile_site(toml_path, out_path):
    result = subprocess.run([FLUXC, "build", toml_path, "-o", out_path],
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"fluxc build failed:\n{result.stderr}")
    return result


class Fluxheim:
    """A running `fluxheim run` on a compiled snapshot; stopped by pid in stop()."""

    def __init__(self, snapshot, port, log_path, extra_args=()):
        self.port = port
        self.log_path = log_path
        self.log = open(log_path, "ab")
        self.proc = subprocess.Popen([FLUXHEIM, "run", snapshot, *extra_args],
                                     stdout=self.log, stderr=subprocess.STDOUT)
        wait_for_port(port, proc=self.proc)

    def signal(self, sig):
        os.kill(self.proc.pid, sig)

    def stop(self, timeout=15):
        """SIGTERM, then wait; returns the exit code (SIGKILL and fail after `timeout`)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                raise AssertionError("fluxheim did not stop within the timeout")
        self.log.close()
        return self.proc.returncode

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        if not self.log.closed:
            self.log.close()

    def log_text(self):
        with open(self.log_path, "rb") as f:
            return f.read().decode("utf-8", "replace")


class SiteTestCase(unittest.TestCase):
    """A test case with a temp directory, helpers to compile a site and run fluxheim, and
    cleanup of every process it started."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="fluxheim-it-")
        self.dir = self.tmp.name
        self.servers = []

    def tearDown(self):
        for s in self.servers:
            s.kill()
        self.tmp.cleanup()

    def path(self, *parts):
        return os.path.join(self.dir, *parts)

    def write(self, rel, content, mode=None):
        p = self.path(rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "wb") as f:
            f.write(content.encode() if isinstance(content, str) else content)
        if mode is not None:
            os.chmod(p, mode)
        return p

    def start(self, toml, port=None, name="site", extra_args=()):
        """Writes site.toml (with {port} and {dir} substituted), builds and runs it."""
        port = port or free_port()
        toml_path = self.write(f"{name}.toml", toml.replace("{port}", str(port))
                               .replace("{dir}", self.dir))
        fxs = self.path(f"{name}.fxs")
        compile_site(toml_path, fxs)
        server = Fluxheim(fxs, port, self.path(f"{name}.log"), extra_args)
        self.servers.append(server)
        return server


def raw_request(port, data, timeout=5.0, read_all=True):
    """Sends raw bytes and returns everything the server sends until it closes (or times out)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(data)
        chunks = []
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                chunks.append(chunk)
                if not read_all:
                    break
        except socket.timeout:
            pass
        return b"".join(chunks)


def parse_response(raw):
    """Splits one HTTP/1.1 response: (status, headers dict of lists (lowercase names), body)."""
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ")[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers.setdefault(name.strip().lower(), []).append(value.strip())
    return status, headers, body


def get(port, path, host="localhost", headers=(), method="GET", body=b""):
    """One request with Connection: close; returns (status, headers, body)."""
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}", "Connection: close", *headers]
    if body:
        lines.append(f"Content-Length: {len(body)}")
    raw = raw_request(port, ("\r\n".join(lines) + "\r\n\r\n").encode() + body)
    return parse_response(raw)


def curl(*args):
    """Runs curl; returns CompletedProcess (text)."""
    return subprocess.run(["curl", "-sS", "--max-time", "20", *args], capture_output=True, text=True)


def main():
    unittest.main(verbosity=2, argv=sys.argv)
