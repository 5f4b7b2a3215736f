#!/usr/bin/env python3
"""Drives a real headless Chromium through WordPress with the W3C WebDriver HTTP protocol
(Debian's chromium + chromium-driver), stdlib only. Called by scripts/smoke_wordpress_browser.sh
with a running chromedriver and an installed WordPress behind fluxheim.

Flow: wp-login.php -> type the credentials -> submit -> the Dashboard (styles and scripts
loaded through fluxheim) -> screenshot -> Posts -> Add New -> the block editor loads -> type a
title -> screenshot. Exits non-zero with a message on the first failed expectation."""

import argparse
import base64
import json
import sys
import time
import urllib.error
import urllib.request

ELEMENT = "element-6066-11e4-a52e-4f735466cecf"


class Failure(Exception):
    pass


class WebDriver:
    def __init__(self, url):
        self.url = url.rstrip("/")
        self.session = None

    def call(self, method, path, body=None, timeout=120):
        data = None if body is None else json.dumps(body).encode()
        prefix = f"/session/{self.session}" if self.session and not path.startswith("/session") else ""
        req = urllib.request.Request(self.url + prefix + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                return json.loads(r.read() or b"{}").get("value")
        except urllib.error.HTTPError as e:
            detail = e.read().decode("utf-8", "replace")
            try:
                v = json.loads(detail)["value"]
                detail = f"{v.get('error')}: {v.get('message', '').splitlines()[0]}"
            except (ValueError, KeyError, AttributeError, IndexError):
                pass
            raise Failure(f"WebDriver {method} {path}: HTTP {e.code}: {detail}") from None

    def start(self, binary, user_data_dir, width, height):
        args = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                "--password-store=basic", f"--user-data-dir={user_data_dir}",
                f"--window-size={width},{height}"]
        caps = {"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "pageLoadStrategy": "normal",
            "goog:chromeOptions": {"binary": binary, "args": args},
        }}}
        value = self.call("POST", "/session", caps)
        self.session = value["sessionId"]
        self.call("POST", "/timeouts", {"pageLoad": 90000, "script": 30000, "implicit": 0})

    def quit(self):
        if self.session:
            try:
                self.call("DELETE", "", timeout=30)
            except Exception:  # the browser may already be gone
                pass
            self.session = None

    def get(self, url):
        self.call("POST", "/url", {"url": url})

    def current_url(self):
        return self.call("GET", "/url")

    def js(self, script, *args):
        return self.call("POST", "/execute/sync", {"script": script, "args": list(args)})

    def find(self, css, timeout=30):
        deadline = time.time() + timeout
        while True:
            found = self.call("POST", "/elements", {"using": "css selector", "value": css})
            visible = [e[ELEMENT] for e in found
                       if self.call("GET", f"/element/{e[ELEMENT]}/displayed")]
            if visible:
                return visible[0]
            if time.time() > deadline:
                raise Failure(f"no visible element `{css}` within {timeout}s on {self.current_url()}")
            time.sleep(0.2)

    def type(self, css, text):
        el = self.find(css)
        self.call("POST", f"/element/{el}/clear", {})
        self.call("POST", f"/element/{el}/value", {"text": text})

    def click(self, css):
        el = self.find(css)
        self.call("POST", f"/element/{el}/click", {})

    def wait(self, what, predicate, timeout=60):
        deadline = time.time() + timeout
        last = None
        while time.time() < deadline:
            try:
                last = predicate()
                if last:
                    return last
            except Failure as e:
                last = str(e)
            time.sleep(0.25)
        raise Failure(f"timed out after {timeout}s waiting for {what} (last: {last!r}; "
                      f"url {self.current_url()})")

    def screenshot(self, path):
        png = base64.b64decode(self.call("GET", "/screenshot"))
        if not png.startswith(b"\x89PNG\r\n\x1a\n"):
            raise Failure("the screenshot is not a PNG")
        with open(path, "wb") as f:
            f.write(png)
        return len(png)


def ready(d):
    return d.js("return document.readyState") == "complete"


def flow(d, base, user, password, dashboard_png, editor_png):
    # 1. The login form, typed like a user.
    d.get(f"{base}/wp-login.php")
    d.wait("the login form", lambda: ready(d) and d.js("return !!document.querySelector('#loginform')"))
    action = d.js("return document.querySelector('#loginform').getAttribute('action')")
    if action != f"{base}/wp-login.php":
        raise Failure(f"login form action is {action!r}, expected {base}/wp-login.php")
    d.type("#user_login", user)
    d.type("#user_pass", password)
    d.click("#wp-submit")

    # 2. The Dashboard.
    d.wait("the Dashboard after login",
           lambda: ready(d) and d.current_url().startswith(f"{base}/wp-admin/") and
           d.js("var h = document.querySelector('#wpbody-content h1'); return h && h.textContent.trim()") == "Dashboard")
    cookies = [c["name"] for c in d.call("GET", "/cookie")]
    if not any(c.startswith("wordpress_logged_in_") for c in cookies):
        raise Failure(f"no wordpress_logged_in_ cookie in the browser: {cookies}")
    # The admin's styles and scripts came through fluxheim (load-styles.php / load-scripts.php
    # run PHP; wp-includes/ assets are static files): the menu is styled and jQuery runs.
    menu_bg = d.js("return getComputedStyle(document.querySelector('#adminmenuback')).backgroundColor")
    if menu_bg != "rgb(29, 35, 39)":
        raise Failure(f"the admin menu is not styled (background {menu_bg!r}): CSS did not load")
    d.wait("jQuery and the dashboard widgets",
           lambda: d.js("return typeof jQuery === 'function' && document.querySelectorAll('#dashboard-widgets .postbox').length"))
    widgets = d.js("return Array.from(document.querySelectorAll('#dashboard-widgets .postbox h2')).map(h => h.textContent.trim())")
    size = d.screenshot(dashboard_png)
    print(f"dashboard: {d.current_url()} widgets {widgets}; screenshot {dashboard_png} ({size} bytes)")

    # 3. Posts -> Add New, through the admin menu.
    d.click("#menu-posts > a")
    d.wait("the Posts list", lambda: ready(d) and "/wp-admin/edit.php" in d.current_url())
    d.click("#menu-posts .wp-submenu a[href='post-new.php']")
    d.wait("the block editor", lambda: ready(d) and "/wp-admin/post-new.php" in d.current_url() and
           d.js("return !!document.querySelector('.edit-post-layout, .block-editor')"), timeout=90)
    # Close the welcome guide if it shows, then type a title into the editor.
    d.js("var b = document.querySelector('.edit-post-welcome-guide .components-modal__header button, "
         ".components-guide .components-modal__header button'); if (b) b.click();")
    title = "Typed in Chromium through fluxheim"
    title_css = ".editor-post-title__input, .wp-block-post-title"
    d.wait("the post title field", lambda: d.js(f"return !!document.querySelector('{title_css}')"), timeout=60)
    d.click(title_css)
    el = d.find(title_css)
    d.call("POST", f"/element/{el}/value", {"text": title})
    d.wait("the typed title", lambda: title in (d.js(
        f"var t = document.querySelector('{title_css}'); return t ? (t.value || t.textContent) : ''") or ""))
    size = d.screenshot(editor_png)
    print(f"editor: {d.current_url()} title typed; screenshot {editor_png} ({size} bytes)")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--webdriver", required=True)
    p.add_argument("--base", required=True)
    p.add_argument("--user", required=True)
    p.add_argument("--password", required=True)
    p.add_argument("--chromium", default="/usr/bin/chromium")
    p.add_argument("--user-data-dir", required=True)
    p.add_argument("--dashboard-png", required=True)
    p.add_argument("--editor-png", required=True)
    a = p.parse_args()
    d = WebDriver(a.webdriver)
    try:
        d.start(a.chromium, a.user_data_dir, 1280, 900)
        flow(d, a.base.rstrip("/"), a.user, a.password, a.dashboard_png, a.editor_png)
    except Failure as e:
        try:
            d.screenshot(a.dashboard_png + ".failure.png")
            print(f"failure screenshot: {a.dashboard_png}.failure.png", file=sys.stderr)
        except Exception:
            pass
        print(f"browser flow failed: {e}", file=sys.stderr)
        return 1
    finally:
        d.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
