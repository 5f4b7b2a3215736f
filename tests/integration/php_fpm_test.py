"""PHP through a real php-fpm 8.2 pool started by the test (php-behaviour.md): $_SERVER as PHP
sees it, front controller, cookies, uploads, limits, timeouts, php-fpm failures, error pages,
offload, methods and the environment boundary."""

import hashlib
import json
import os
import shutil
import socket
import time

from harness import SiteTestCase, free_port, get, main, parse_response, raw_request
from phpfpm import PhpFpm

SITE_DIR = os.path.join(os.path.dirname(__file__), "php_site")

SITE = """
[server]
listen = ["127.0.0.1:{port}"]

[server.process]
pid_file = "{dir}/fluxheim.pid"

[logging]
level = "info"

[[vhosts]]
name = "php.test"
hosts = ["php.test", "localhost"]

[vhosts.web]
root = "{dir}/site/public"

[vhosts.php]
enabled = true
preset = "wordpress"
root = "{dir}/site/public"
request_timeout_secs = 2
max_request_body_bytes = "1MiB"
max_response_bytes = "8MiB"
hide_response_headers = ["x-powered-by"]
intercept_error_statuses = [418]
{php_extra}

[vhosts.php.params]
APP_ENV = "test"

[[vhosts.php.error_pages]]
status = 502
path = "/502.html"
[vhosts.php.error_pages.web]
root = "{dir}/site/errors"

[vhosts.php.fpm]
{fpm}
"""


class PhpFpmTest(SiteTestCase):
    def setUp(self):
        super().setUp()
        shutil.copytree(SITE_DIR, self.path("site"))
        self.fpm = PhpFpm(self.dir, children=2)
        self.fpm.start()
        os.environ["FLUX_TEST_SECRET"] = "do-not-leak"

    def tearDown(self):
        self.fpm.stop()
        super().tearDown()

    def site(self, fpm=None, php_extra=""):
        fpm = fpm or f'socket = "{self.fpm.socket}"'
        return self.start(SITE.replace("{fpm}", fpm).replace("{php_extra}", php_extra))

    def server_vars(self, port, target, **kw):
        status, headers, body = get(port, target, host="php.test", **kw)
        self.assertEqual(status, 200, body)
        return json.loads(body)

    def test_server_variables_for_a_simple_get(self):
        s = self.site()
        v = self.server_vars(s.port, "/server.php?a=1&b=%20x")
        self.assertEqual(v["GATEWAY_INTERFACE"], "CGI/1.1")
        self.assertEqual(v["SERVER_SOFTWARE"], "fluxheim")
        self.assertEqual(v["SERVER_PROTOCOL"], "HTTP/1.1")
        self.assertEqual(v["REQUEST_METHOD"], "GET")
        self.assertEqual(v["SCRIPT_NAME"], "/server.php")
        self.assertEqual(v["SCRIPT_FILENAME"], os.path.realpath(self.path("site/public/server.php")))
        self.assertEqual(v["DOCUMENT_ROOT"], os.path.realpath(self.path("site/public")))
        self.assertEqual(v["QUERY_STRING"], "a=1&b=%20x")
        self.assertEqual(v["REQUEST_URI"], "/server.php?a=1&b=%20x")
        self.assertEqual(v["REMOTE_ADDR"], "127.0.0.1")
        self.assertEqual(v["SERVER_NAME"], "php.test")
        self.assertEqual(v["SERVER_PORT"], "80")
        self.assertEqual(v["HTTP_HOST"], "php.test")
        self.assertEqual(v["REQUEST_SCHEME"], "http")
        self.assertEqual(v["HTTPS"], "off")
        self.assertEqual(v["REDIRECT_STATUS"], "200")
        self.assertEqual(v["APP_ENV"], "test")
        self.assertEqual(v["CONTENT_LENGTH"], "0")
        self.assertNotIn("PATH_INFO", v)

    def test_host_port_goes_to_server_port_and_http_host(self):
        s = self.site()
        v = self.server_vars(s.port, "/server.php", )
        status, _, body = get(s.port, "/server.php", host=f"php.test:{s.port}")
        v = json.loads(body)
        self.assertEqual(v["SERVER_PORT"], str(s.port))
        self.assertEqual(v["HTTP_HOST"], f"php.test:{s.port}")
        self.assertEqual(v["SERVER_NAME"], "php.test")

    def test_httpoxy_cookie_merge_and_header_names(self):
        s = self.site()
        v = self.server_vars(s.port, "/server.php", headers=[
            "Proxy: http://evil.example:8080", "Cookie: a=1", "Cookie: b=2",
            "X-Custom: one", "X-Custom: two", "X_Forwarded_For: 6.6.6.6",
            "Authorization: Bearer t0k3n"])
        self.assertNotIn("HTTP_PROXY", v)
        self.assertEqual(v["HTTP_COOKIE"], "a=1; b=2")
        self.assertEqual(v["HTTP_X_CUSTOM"], "one, two")
        self.assertEqual(v["HTTP_AUTHORIZATION"], "Bearer t0k3n")
        self.assertEqual(v["HTTP_X_FORWARDED_FOR"], "127.0.0.1")

    def test_process_environment_never_reaches_php(self):
        s = self.site()
        v = self.server_vars(s.port, "/server.php")
        self.assertNotIn("FLUX_TEST_SECRET", v)
        self.assertFalse(v["_getenv_secret"])
        self.assertIsNone(v["_env_secret"])

    def test_post_body_and_content_type(self):
        s = self.site()
        status, _, body = get(s.port, "/server.php", host="php.test", method="POST",
                              headers=["Content-Type: application/x-www-form-urlencoded"],
                              body=b"x=1&y=2")
        v = json.loads(body)
        self.assertEqual(v["REQUEST_METHOD"], "POST")
        self.assertEqual(v["CONTENT_TYPE"], "application/x-www-form-urlencoded")
        self.assertEqual(v["CONTENT_LENGTH"], "7")
        self.assertEqual(v["_body"], "x=1&y=2")

    def test_chunked_body_is_buffered_with_exact_length(self):
        s = self.site()
        raw = (b"POST /upload.php HTTP/1.1\r\nHost: php.test\r\nConnection: close\r\n"
               b"Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n")
        status, _, body = parse_response(raw_request(s.port, raw))
        self.assertEqual(status, 200)
        expected = hashlib.sha256(b"hello world").hexdigest()
        self.assertEqual(body.decode(), f"11 11 {expected}\n")

    def test_front_controller_and_static_assets(self):
        s = self.site()
        status, _, body = get(s.port, "/some/pretty/url?x=1", host="php.test")
        self.assertEqual(status, 200)
        self.assertEqual(body, b"front controller: /some/pretty/url?x=1\n")
        status, headers, body = get(s.port, "/assets/app.css", host="php.test")
        self.assertEqual(status, 200)
        self.assertEqual(body, b"static asset\n")
        self.assertEqual(headers["content-type"], ["text/css; charset=utf-8"])

    def test_directory_index_redirects_then_runs(self):
        s = self.site()
        status, headers, _ = get(s.port, "/sub?q=1", host="php.test")
        self.assertEqual(status, 308)
        self.assertEqual(headers["location"], ["/sub/?q=1"])
        status, _, body = get(s.port, "/sub/", host="php.test")
        self.assertEqual(status, 200)
        self.assertEqual(body, b"sub index: /sub/index.php\n")

    def test_set_cookie_lines_stay_separate_and_hidden_headers_go(self):
        s = self.site()
        status, headers, _ = get(s.port, "/cookies.php", host="php.test")
        self.assertEqual(status, 200)
        self.assertEqual(len(headers["set-cookie"]), 2)
        self.assertTrue(headers["set-cookie"][0].startswith("first=one"))
        self.assertNotIn("x-powered-by", headers)

    def test_uploads_dir_php_and_php_source_are_never_served(self):
        s = self.site()
        status, _, body = get(s.port, "/wp-content/uploads/evil.php", host="php.test")
        self.assertEqual(status, 403)
        self.assertNotIn(b"EXECUTED", body)
        self.assertNotIn(b"<?php", body)
        status, _, body = get(s.port, "/.hidden.php", host="php.test")
        self.assertIn(status, (403, 404))
        self.assertNotIn(b"<?php", body)

    def test_methods(self):
        s = self.site()
        for method in ("PUT", "PATCH", "DELETE", "OPTIONS"):
            status, _, body = get(s.port, "/method.php", host="php.test", method=method)
            self.assertEqual((status, body), (200, f"{method}\n".encode()))
        status, headers, body = get(s.port, "/method.php", host="php.test", method="TRACE")
        self.assertEqual(status, 405)
        self.assertEqual(headers["allow"], ["GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS"])

    def test_body_over_the_limit_is_413(self):
        s = self.site()
        raw = (b"POST /upload.php HTTP/1.1\r\nHost: php.test\r\n"
               b"Content-Length: 2000000\r\n\r\n")
        status, headers, body = parse_response(raw_request(s.port, raw))
        self.assertEqual(status, 413)
        self.assertEqual(body, b"payload too large\n")
        self.assertEqual(headers["connection"], ["close"])

    def test_request_timeout_is_504(self):
        s = self.site()
        start = time.time()
        status, _, body = get(s.port, "/slow.php?s=5", host="php.test")
        self.assertEqual(status, 504)
        self.assertEqual(body, b"php-fpm timed out\n")
        self.assertLess(time.time() - start, 4.5)

    def test_response_cap_gives_502_with_error_page(self):
        s = self.site()
        status, headers, body = get(s.port, "/big.php?mb=10", host="php.test")
        self.assertEqual(status, 502)
        self.assertEqual(body, b"<h1>custom 502 page</h1>\n")
        self.assertEqual(headers["cache-control"], ["private, no-store"])

    def test_php_fpm_down_fast_502_then_recovers(self):
        s = self.site(php_extra="", fpm=f'socket = "{self.fpm.socket}"\nkeepalive = true\n'
                      'max_connections = 2')
        self.assertEqual(get(s.port, "/method.php", host="php.test")[0], 200)
        self.fpm.kill()
        start = time.time()
        status, _, body = get(s.port, "/method.php", host="php.test")
        self.assertEqual(status, 502)
        self.assertLess(time.time() - start, 1.0)
        self.fpm.start()
        for _ in range(3):
            self.assertEqual(get(s.port, "/method.php", host="php.test")[0], 200)

    def test_intercepted_status_replaced_by_generated_error(self):
        s = self.site()
        status, headers, body = get(s.port, "/status.php?code=418", host="php.test")
        self.assertEqual(status, 418)
        self.assertEqual(body, b"418 unknown\n")  # not in the IANA registry
        self.assertNotIn("x-from-php", headers)
        status, headers, body = get(s.port, "/status.php?code=404", host="php.test")
        self.assertEqual(status, 404)
        self.assertEqual(body, b"php body for 404\n")

    def test_x_accel_redirect_serves_the_file(self):
        s = self.site()
        status, headers, body = get(s.port, "/accel.php", host="php.test")
        self.assertEqual(status, 200)
        self.assertEqual(body, b"report contents\n")
        self.assertEqual(headers["content-disposition"], ['attachment; filename="report.txt"'])
        status, _, _ = get(s.port, "/accel.php?to=/server.php", host="php.test")
        self.assertEqual(status, 403)

    def test_stderr_is_logged_sanitized(self):
        s = self.site()
        self.assertEqual(get(s.port, "/stderr.php", host="php.test")[0], 200)
        time.sleep(0.3)
        log = s.log_text()
        self.assertIn("something odd \\\\x01 happened", log)

    def test_tcp_pool(self):
        port = free_port()
        tcp = PhpFpm(self.dir, listen=f"127.0.0.1:{port}", name="tcp").start()
        try:
            s = self.site(fpm=f'tcp = "127.0.0.1:{port}"\nallow_private_tcp_upstreams = true')
            self.assertEqual(get(s.port, "/method.php", host="php.test")[:3:2], (200, b"GET\n"))
        finally:
            tcp.stop()


if __name__ == "__main__":
    main()
