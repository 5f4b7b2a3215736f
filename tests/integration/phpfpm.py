"""A private php-fpm 8.2 pool for integration tests: its own config, socket (or TCP port), pid
and log in the test's temp dir; started in the foreground and stopped by pid."""

import os
import shutil
import signal
import socket
import subprocess
import time

PHP_FPM = shutil.which("php-fpm8.2") or "/usr/sbin/php-fpm8.2"


class PhpFpm:
    def __init__(self, workdir, pm="static", children=2, listen=None, extra_pool="",
                 name="pool"):
        self.dir = os.path.join(workdir, f"fpm-{name}")
        os.makedirs(self.dir, exist_ok=True)
        os.chmod(self.dir, 0o755)
        self.socket = listen or os.path.join(self.dir, "php-fpm.sock")
        self.conf = os.path.join(self.dir, "php-fpm.conf")
        self.log = os.path.join(self.dir, "php-fpm.log")
        with open(self.conf, "w") as f:
            f.write(f"""[global]
pid = {self.dir}/php-fpm.pid
error_log = {self.log}
daemonize = no

[{name}]
listen = {self.socket}
listen.mode = 0666
pm = {pm}
pm.max_children = {children}
pm.start_servers = 1
pm.min_spare_servers = 1
pm.max_spare_servers = {children}
clear_env = yes
catch_workers_output = yes
{extra_pool}
""")
        self.proc = None

    def start(self):
        args = [PHP_FPM, "-F", "-y", self.conf, "-d", "opcache.enable=0"]
        if os.geteuid() == 0:
            args.append("-R")  # test pools run as the test user, root in CI containers
        # Its own process group, so kill() takes the workers down with the master.
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                     start_new_session=True)
        deadline = time.time() + 10
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"php-fpm exited: {open(self.log).read()}")
            if self._ready():
                return self
            time.sleep(0.05)
        raise RuntimeError("php-fpm did not become ready")

    def _ready(self):
        try:
            if self.socket.startswith("/"):
                with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
                    s.connect(self.socket)
            else:
                host, port = self.socket.rsplit(":", 1)
                socket.create_connection((host, int(port)), timeout=0.2).close()
            return True
        except OSError:
            return False

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def kill(self):
        """SIGKILL to the master and every worker (a crash of the whole pool)."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
