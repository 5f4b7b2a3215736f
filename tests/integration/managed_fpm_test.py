"""Managed php-fpm (php-behaviour.md §14) with the real php-fpm 8.2: every pm mode, the
environment boundary, socket modes, the watchdog (kill -9, crash loop with growing backoff),
shutdown and cleanup, stale files after a SIGKILL, reload, privileges and exit 78."""

import datetime
import glob
import json
import os
import shutil
import signal
import subprocess
import time
import urllib.request

from harness import FLUXHEIM, SiteTestCase, compile_site, free_port, get, main

PHP_FPM = "/usr/sbin/php-fpm8.2"
FIXED_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
SITE_DIR = os.path.join(os.path.dirname(__file__), "managed_site")
IS_ROOT = os.geteuid() == 0

SITE = """
[server]
listen = ["127.0.0.1:{port}"]

[logging]
level = "info"

[metrics]
enabled = true
listen = "127.0.0.1:{metrics_port}"

[[vhosts]]
name = "app"
hosts = ["localhost"]

[vhosts.php]
enabled = true
root = "{dir}/site/public"
{php_extra}

[vhosts.php.fpm]
mode = "managed"
php_fpm_binary = "{php_fpm}"
socket_dir = "{dir}/run"
{identity}
{fpm}
"""

# As root, php-fpm needs a worker identity (§14.3); www-data can read the test site because
# setUp opens the temp dir for traversal.
ROOT_IDENTITY = 'user = "www-data"\ngroup = "www-data"'


def processes_in_group(pgid):
    """Live (non-zombie) pids whose process group is `pgid`."""
    out = []
    for stat in glob.glob("/proc/[0-9]*/stat"):
        try:
            with open(stat) as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            out.append(int(stat.split("/")[2]))
    return out


def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def uid_of(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("Uid:"):
                return int(line.split()[2])  # effective uid
    return None


def log_events(server, msg):
    """JSON log lines of `server` with this msg, in order."""
    out = []
    for line in server.log_text().splitlines():
        try:
            event = json.loads(line)
        except ValueError:
            continue
        if event.get("msg") == msg:
            out.append(event)
    return out


def ts(event):
    return datetime.datetime.fromisoformat(event["ts"].replace("Z", "+00:00")).timestamp()


def wait_until(predicate, timeout, step=0.05):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    return predicate()


class ManagedFpmTest(SiteTestCase):
    def setUp(self):
        super().setUp()
        shutil.copytree(SITE_DIR, self.path("site"))
        # php-fpm workers run as another user when the test runs as root.
        os.chmod(self.dir, 0o755)
        self.metrics_port = free_port()

    def toml(self, fpm="", identity=None, php_extra=""):
        if identity is None:
            identity = ROOT_IDENTITY if IS_ROOT else ""
        return (SITE.replace("{metrics_port}", str(self.metrics_port))
                .replace("{php_fpm}", PHP_FPM).replace("{identity}", identity)
                .replace("{fpm}", fpm).replace("{php_extra}", php_extra))

    def site(self, fpm="", identity=None, name="site"):
        return self.start(self.toml(fpm, identity), name=name)

    def run_dir(self):
        return self.path("run")

    def instance(self):
        """The instance name of the one pool (from its config file)."""
        confs = glob.glob(os.path.join(self.run_dir(), "*.conf"))
        self.assertEqual(len(confs), 1, confs)
        return os.path.basename(confs[0])[:-len(".conf")]

    def master_pid(self):
        started = wait_until(lambda: os.path.exists(self.control("pid")), 5)
        self.assertTrue(started)
        with open(self.control("pid")) as f:
            return int(f.read().strip())

    def control(self, ext, name=None):
        return os.path.join(self.run_dir(), f"{name or self.instance()}.{ext}")

    def metric(self, line_prefix):
        with urllib.request.urlopen(f"http://127.0.0.1:{self.metrics_port}/metrics", timeout=5) as r:
            for line in r.read().decode().splitlines():
                if line.startswith(line_prefix + " "):
                    return float(line.split()[-1])
        return None

    def assert_hello(self, port):
        status, _, body = get(port, "/hello.php")
        self.assertEqual((status, body), (200, b"hello from php-fpm\n"))

    def run_expect_failure(self, toml, name="bad", before_run=None):
        toml_path = self.write(f"{name}.toml", toml.replace("{port}", str(free_port()))
                               .replace("{dir}", self.dir))
        fxs = self.path(f"{name}.fxs")
        compile_site(toml_path, fxs)
        if before_run:
            before_run()
        proc = subprocess.run([FLUXHEIM, "run", fxs], capture_output=True, text=True, timeout=30)
        return proc, fxs

    # --- pm modes and the generated config -------------------------------------------------

    def test_each_process_manager_serves_requests(self):
        modes = {
            "static": 'process_manager = "static"\nworkers = 2',
            "dynamic": 'process_manager = "dynamic"\nworkers = 3\nmin_spare_servers = 1\n'
                       'max_spare_servers = 2',
            "ondemand": 'process_manager = "ondemand"\nworkers = 2\nprocess_idle_timeout_secs = 5',
        }
        for mode, fpm in modes.items():
            with self.subTest(mode=mode):
                s = self.site(fpm, name=mode)
                with open(self.control("conf")) as f:
                    self.assertIn(f"\npm = {mode}\n", f.read())
                for _ in range(5):
                    self.assert_hello(s.port)
                status, _, body = get(s.port, "/whoami.php")
                self.assertEqual(json.loads(body)["sapi"], "fpm-fcgi")
                self.assertEqual(s.stop(), 0)
                self.assertEqual(glob.glob(os.path.join(self.run_dir(), "*.conf")), [])

    def test_generated_config_is_private_and_accepted_by_php_fpm(self):
        self.site()
        conf = self.control("conf")
        self.assertEqual(os.stat(conf).st_mode & 0o777, 0o600)
        self.assertEqual(os.stat(self.run_dir()).st_mode & 0o777, 0o700)
        check = subprocess.run([PHP_FPM, "-t", "-y", conf], capture_output=True, text=True)
        self.assertEqual(check.returncode, 0, check.stderr)

    # --- §14.3 environment and sockets ----------------------------------------------------

    def test_fluxheim_environment_is_invisible_to_php(self):
        os.environ["FLUX_TEST_SECRET"] = "do-not-leak"
        try:
            # clear_env = false passes the master's environment to workers: it must be empty.
            s = self.site("clear_env = false")
        finally:
            del os.environ["FLUX_TEST_SECRET"]
        status, _, body = get(s.port, "/env.php")
        self.assertEqual(status, 200, body)
        seen = json.loads(body)
        self.assertIs(seen["getenv_secret"], False)
        self.assertIsNone(seen["server_secret"])
        self.assertIsNone(seen["env_secret"])
        self.assertEqual(seen["path"], FIXED_PATH)
        # getenv() also lists the FastCGI params and the USER/HOME php-fpm sets for workers,
        # but nothing else of fluxheim's own environment.
        inherited = set(seen["environment"]) & set(os.environ)
        self.assertLessEqual(inherited, {"PATH", "USER", "HOME"}, sorted(seen["environment"]))

    def test_socket_mode_is_0600_by_default_and_0660_with_listen_mode(self):
        s = self.site(name="default")
        self.assertEqual(os.stat(self.control("sock")).st_mode & 0o777, 0o600)
        s.stop()
        s = self.site('listen_mode = "0660"', name="shared")
        self.assertEqual(os.stat(self.control("sock")).st_mode & 0o777, 0o660)
        self.assert_hello(s.port)

    # --- §14.5 watchdog -------------------------------------------------------------------

    def test_killed_master_comes_back_within_the_backoff_and_gap_requests_fail_fast(self):
        s = self.site()
        self.assert_hello(s.port)
        old = self.master_pid()
        old_workers = [p for p in processes_in_group(old) if p != old]
        self.assertTrue(old_workers)
        os.kill(old, signal.SIGKILL)
        killed = time.time()
        statuses = []
        while time.time() - killed < 10:
            sent = time.time()
            status, _, _ = get(s.port, "/hello.php")
            self.assertLess(time.time() - sent, 1.5, "a request hung while php-fpm was down")
            statuses.append(status)
            if status == 200 and len(statuses) > 1 and self.master_pid() != old:
                break
            self.assertIn(status, (200, 502, 503))
            time.sleep(0.1)
        back = time.time() - killed
        self.assertEqual(statuses[-1], 200)
        self.assertIn(502, statuses)
        # Killed within 30 s of its start: second failure step, 2 s, plus the 1 s poll and
        # php-fpm's start-up.
        self.assertLess(back, 5.0)
        self.assertTrue(wait_until(lambda: not any(alive(p) for p in old_workers), 3),
                        "workers of the killed master are still running")
        exited = log_events(s, "managed php-fpm exited")
        self.assertEqual(len(exited), 1)
        self.assertEqual(exited[0]["status"], "signal 9")
        self.assertEqual(exited[0]["restart_in_secs"], 2)
        self.assertTrue(wait_until(lambda: log_events(s, "managed php-fpm respawned"), 2))
        self.assertEqual(self.metric('fluxheim_php_fpm_managed_restarts_total{pool="app/vhost",reason="exited"}'), 1)
        self.assertEqual(self.metric('fluxheim_php_fpm_managed_up{pool="app/vhost"}'), 1)
        self.assertEqual(self.metric('fluxheim_php_fpm_managed_last_exit_status{pool="app/vhost"}'), 137)

    def test_crash_loop_backs_off_with_growing_delays_then_recovers(self):
        s = self.site()
        name = self.instance()
        # php-fpm exits with status 78 at start when its error_log cannot be opened.
        os.unlink(self.control("log"))
        os.mkdir(self.control("log"))
        os.kill(self.master_pid(), signal.SIGKILL)
        failures = wait_until(lambda: len(log_events(s, "managed php-fpm respawn failed")) >= 2 and
                              log_events(s, "managed php-fpm respawn failed"), 12, step=0.2)
        self.assertTrue(failures, s.log_text())
        self.assertEqual(self.metric('fluxheim_php_fpm_managed_up{pool="app/vhost"}'), 0)
        status, _, _ = get(s.port, "/hello.php")
        self.assertEqual(status, 502)
        os.rmdir(self.control("log", name))
        recovered = wait_until(lambda: log_events(s, "managed php-fpm respawned"), 12, step=0.2)
        self.assertTrue(recovered, s.log_text())
        self.assert_hello(s.port)
        exited = log_events(s, "managed php-fpm exited")[0]
        failures = log_events(s, "managed php-fpm respawn failed")[:2]
        self.assertIn("php-fpm exited before creating socket with status 78", failures[0]["error"])
        self.assertEqual([exited["restart_in_secs"]] + [f["retry_in_secs"] for f in failures], [2, 4, 8])
        gaps = [ts(failures[0]) - ts(exited), ts(failures[1]) - ts(failures[0]),
                ts(recovered[0]) - ts(failures[1])]
        for gap, expected in zip(gaps, (2, 4, 8)):
            self.assertGreaterEqual(gap, expected - 0.05, gaps)
            self.assertLess(gap, expected + 1.0, gaps)
        self.assertEqual(self.metric('fluxheim_php_fpm_managed_restarts_total{pool="app/vhost",reason="spawn_failed"}'), 2)
        self.assertEqual(self.metric('fluxheim_php_fpm_managed_last_exit_status{pool="app/vhost"}'), 137)

    # --- §14.6 stop and cleanup -----------------------------------------------------------

    def test_sigterm_stops_every_pool_process_and_removes_control_files(self):
        s = self.site("workers = 3")
        self.assert_hello(s.port)
        name = self.instance()
        master = self.master_pid()
        pool = wait_until(lambda: len(processes_in_group(master)) == 4 and processes_in_group(master), 5)
        self.assertTrue(pool, "expected the master and 3 workers")
        self.assertEqual(s.stop(), 0)
        self.assertEqual([p for p in pool if alive(p)], [])
        self.assertEqual(sorted(os.listdir(self.run_dir())), [f"{name}.log"])
        self.assertEqual(len(log_events(s, "managed php-fpm stopped")), 1)

    def test_stale_files_of_a_killed_gateway_do_not_block_the_next_start(self):
        s = self.site()
        old_name = self.instance()
        old_master = self.master_pid()
        s.kill()  # SIGKILL: no cleanup runs
        # PR_SET_PDEATHSIG: the orphaned master gets SIGTERM and exits with its workers.
        self.assertTrue(wait_until(lambda: not processes_in_group(old_master), 5))
        self.assertTrue(os.path.exists(self.control("conf", old_name)))
        s = self.site(name="again")
        confs = glob.glob(os.path.join(self.run_dir(), "*.conf"))
        self.assertEqual(len(confs), 2)
        new_name = [os.path.basename(c)[:-5] for c in confs if old_name not in c][0]
        self.assertNotEqual(new_name, old_name)
        self.assert_hello(s.port)
        self.assertEqual(s.stop(), 0)
        self.assertFalse(os.path.exists(self.control("conf", new_name)))

    # --- reload (§15) ---------------------------------------------------------------------

    def test_snapshot_safe_reload_keeps_the_running_pool(self):
        s = self.site()
        master = self.master_pid()
        fxs = self.path("site.fxs")
        toml_path = self.write("site.toml", self.toml(php_extra="request_timeout_secs = 7")
                               .replace("{port}", str(s.port)).replace("{dir}", self.dir))
        compile_site(toml_path, fxs)
        s.signal(signal.SIGHUP)
        self.assertTrue(wait_until(lambda: log_events(s, "reload applied"), 5), s.log_text())
        self.assertEqual(self.master_pid(), master)
        self.assert_hello(s.port)
        toml_path = self.write("site.toml", self.toml("workers = 3")
                               .replace("{port}", str(s.port)).replace("{dir}", self.dir))
        compile_site(toml_path, fxs)
        s.signal(signal.SIGHUP)
        refused = wait_until(lambda: log_events(s, "reload refused: process-upgrade changes"), 5)
        self.assertTrue(refused, s.log_text())
        self.assertTrue(any("workers" in k for k in refused[0]["keys"]), refused)
        self.assertEqual(self.master_pid(), master)
        self.assert_hello(s.port)

    # --- privileges and start-up failures (§14.3, cli.md §6.1) ----------------------------

    def test_as_root_workers_run_as_nobody_and_serve(self):
        if not IS_ROOT:
            self.skipTest("needs root")
        s = self.site(identity='user = "nobody"\ngroup = "nogroup"')
        status, _, body = get(s.port, "/whoami.php")
        self.assertEqual(status, 200, body)
        self.assertEqual(json.loads(body)["user"], "nobody")
        master = self.master_pid()
        self.assertEqual(uid_of(master), 0)
        workers = [p for p in processes_in_group(master) if p != master]
        self.assertTrue(workers)
        self.assertEqual({uid_of(p) for p in workers}, {65534})

    def test_as_root_without_user_and_group_exits_78_with_one_line(self):
        if not IS_ROOT:
            self.skipTest("needs root")
        proc, fxs = self.run_expect_failure(self.toml(identity=""))
        expected = (f"fluxheim: {fxs}: managed php-fpm pool `app/vhost` would run PHP as root; "
                    "set php.fpm.user and php.fpm.group (e.g. www-data)\n")
        self.assertEqual((proc.returncode, proc.stderr), (78, expected))
        self.assertFalse(os.path.exists(self.run_dir()))
        verify = subprocess.run([FLUXHEIM, "verify", fxs], capture_output=True, text=True, timeout=30)
        self.assertEqual((verify.returncode, verify.stderr), (78, expected))

    def test_binary_swapped_for_a_symlink_after_the_build_exits_78(self):
        os.makedirs(self.path("sbin"))
        binary = self.path("sbin/php-fpm")
        shutil.copy2(PHP_FPM, binary)
        toml = self.toml().replace(f'php_fpm_binary = "{PHP_FPM}"', f'php_fpm_binary = "{binary}"')

        def swap():  # fluxc saw a regular file; the host changed before `fluxheim run`
            os.unlink(binary)
            os.symlink(PHP_FPM, binary)

        proc, fxs = self.run_expect_failure(toml, before_run=swap)
        expected = (f"fluxheim: {fxs}: managed php-fpm pool `app/vhost`: php_fpm_binary "
                    f"`{binary}` must not be or be below a symlink\n")
        self.assertEqual((proc.returncode, proc.stderr), (78, expected))
        verify = subprocess.run([FLUXHEIM, "verify", fxs], capture_output=True, text=True, timeout=30)
        self.assertEqual((verify.returncode, verify.stderr), (78, expected))

    def test_unsafe_socket_dir_exits_78_with_one_line(self):
        os.mkdir(self.path("shared"))
        os.chmod(self.path("shared"), 0o775)
        toml = self.toml().replace('socket_dir = "{dir}/run"', 'socket_dir = "{dir}/shared/run"')
        proc, fxs = self.run_expect_failure(toml)
        self.assertEqual(proc.returncode, 78)
        self.assertEqual(proc.stderr,
                         f"fluxheim: {fxs}: managed php-fpm pool `app/vhost`: socket_dir "
                         f"`{self.dir}/shared/run` has a group/world-writable ancestor "
                         f"`{self.dir}/shared`\n")
        self.assertFalse(os.path.exists(self.path("shared/run")))

    def test_php_fpm_failing_at_start_exits_78_and_cleans_up(self):
        if not IS_ROOT:
            self.skipTest("needs root: php-fpm resolves the worker user only as root")
        proc, fxs = self.run_expect_failure(self.toml(identity='user = "no-such-user"\n'
                                                               'group = "no-such-group"'))
        self.assertEqual(proc.returncode, 78)
        self.assertEqual(proc.stderr.count("\n"), 1, proc.stderr)
        self.assertIn("php-fpm exited before creating socket with status 78", proc.stderr)
        logs = glob.glob(os.path.join(self.run_dir(), "*.log"))
        self.assertEqual(sorted(os.listdir(self.run_dir())), [os.path.basename(p) for p in logs])
        with open(logs[0]) as f:
            self.assertIn("no-such-user", f.read())


if __name__ == "__main__":
    main()
