"""Walking skeleton: site.toml -> fluxc build -> fluxheim run -> curl a file and a missing file,
then SIGTERM and a clean exit 0."""

from harness import SiteTestCase, curl, main

SITE = """
[server]
listen = ["127.0.0.1:{port}"]

[server.process]
pid_file = "{dir}/fluxheim.pid"

[[vhosts]]
name = "site"
hosts = ["localhost"]

[vhosts.web]
root = "{dir}/public"
"""


class StaticSmoke(SiteTestCase):
    def test_file_and_missing_file_then_clean_exit(self):
        self.write("public/hello.txt", "hello from fluxheim\n")
        server = self.start(SITE)
        ok = curl("-i", f"http://localhost:{server.port}/hello.txt")
        self.assertEqual(ok.returncode, 0, ok.stderr)
        self.assertIn("HTTP/1.1 200 OK", ok.stdout)
        self.assertIn("Content-Type: text/plain", ok.stdout)
        self.assertTrue(ok.stdout.endswith("hello from fluxheim\n"))
        missing = curl("-s", "-o", "/dev/null", "-w", "%{http_code}",
                       f"http://localhost:{server.port}/nope.txt")
        self.assertEqual(missing.stdout, "404")
        with open(self.path("fluxheim.pid")) as f:
            self.assertEqual(int(f.read()), server.proc.pid)
        self.assertEqual(server.stop(), 0)
        self.assertFalse(__import__("os").path.exists(self.path("fluxheim.pid")),
                         "the pid file is removed at clean exit")


if __name__ == "__main__":
    main()
