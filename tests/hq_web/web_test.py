#!/usr/bin/env python3
"""Headquarters' web pages (sync/hq/web.h W1-W7), as staff use them and as an attacker tries them.

Starts the real `hq serve` on 127.0.0.1 (a free port) over a library of known content
(make_library), then:
  1. plain HTTP: a page without a session goes to sign-in; a wrong password is 401 and audited;
     a forged session cookie opens nothing; a POST without its CSRF token, or with another's,
     is 403 and changes nothing; a viewer cannot decide a merge (403, nothing changed);
  2. a real headless Chromium (Debian's chromium, DevTools protocol over --remote-debugging-pipe)
     signs in by typing and clicking, searches the talent library in Latin and Khmer, opens the
     review queue, accepts a merge, finds it in the history, undoes it; switches to Chinese; and
     takes screenshots (desktop and phone width) into WORK/shots for a person to look at.
Every step asserts what is on the page and in the library (through `hq` itself). Fails, never
skips, when chromium is missing.
"""
import argparse
import base64
import http.cookiejar
import json
import os
import select
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

ARGS = None
FAILURES = []


def check(cond, what):
    if cond:
        print("ok   " + what)
    else:
        print("FAIL " + what)
        FAILURES.append(what)


def hq(*args, stdin=None):
    r = subprocess.run([ARGS.hq, "--library", LIBRARY] + list(args), input=stdin,
                       capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        raise RuntimeError("hq %s: %s" % (" ".join(args), r.stderr))
    return r.stdout


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# [HTTP] ---------------------------------------------------------------------------------------
class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a, **k):
        return None


def client():
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    return opener, jar


def request(opener, path, data=None, headers=None):
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    req = urllib.request.Request(BASE + path, data=body, headers=headers or {})
    try:
        with opener.open(req, timeout=30) as r:
            return r.status, r.read().decode("utf-8", "replace"), dict(r.headers)
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace"), dict(e.headers)


def csrf_of(html):
    marker = 'name="csrf" value="'
    i = html.find(marker)
    return html[i + len(marker):html.find('"', i + len(marker))] if i >= 0 else ""


def sign_in(name, password):
    opener, jar = client()
    status, _, headers = request(opener, "/login", {"name": name, "password": password})
    return opener, status, headers


def http_checks():
    anon, _ = client()
    status, _, headers = request(anon, "/persons")
    check(status == 303 and headers.get("Location", "").startswith("/login"),
          "a page without a session goes to sign-in (W1)")
    check(request(anon, "/app.css")[0] == 200, "the stylesheet needs no session")
    opener, status, headers = sign_in("Nary", "wrong password!")
    check(status == 401, "a wrong password is refused with 401")
    check("hq_session" not in headers.get("Set-Cookie", ""), "a wrong password gets no session cookie")
    opener, status, headers = sign_in("Nobody", "wrong password!")
    check(status == 401, "an unknown name is refused the same way")
    audit = subprocess.run(["sqlite3", LIBRARY + "/library.sqlite3",
                            "SELECT count(*) FROM audit WHERE action = 'web.sign_in_failed'"],
                           capture_output=True, text=True).stdout.strip()
    check(audit == "2", "failed sign-ins are audited (W5): %s" % audit)
    forged, _ = client()
    status, _, _ = request(forged, "/persons", headers={"Cookie": "hq_session=AAAAforgedAAAA"})
    check(status == 303, "a forged session cookie opens nothing")

    editor, status, headers = sign_in("Nary", "correct horse battery")
    cookie = headers.get("Set-Cookie", "")
    check(status == 303 and "HttpOnly" in cookie and "SameSite=Strict" in cookie,
          "signing in sets an HttpOnly SameSite=Strict session cookie")
    status, html, headers = request(editor, "/merges/1")
    check(status == 200 and "script-src" not in headers.get("Content-Security-Policy", "x")
          and "default-src 'none'" in headers.get("Content-Security-Policy", ""),
          "pages carry a CSP that allows no script")
    queue_before = hq("merge", "list", "--format", "csv")
    status, _, _ = request(editor, "/merges/1/accept", {"x": "1"})
    check(status == 403, "a POST without its CSRF token is refused (W2)")
    status, _, _ = request(editor, "/merges/1/accept", {"csrf": "A" * 43})
    check(status == 403, "a POST with a wrong CSRF token is refused (W2)")
    viewer, status, _ = sign_in("Vibol", "viewer password 1")
    check(status == 303, "a viewer signs in")
    status, vhtml, _ = request(viewer, "/merges/1")
    check("/merges/1/accept" not in vhtml, "a viewer is shown no merge buttons")
    status, _, _ = request(viewer, "/merges/1/accept", {"csrf": csrf_of(vhtml) or csrf_of(request(viewer, "/")[1])})
    check(status == 403, "a viewer's merge is refused (W3)")
    status, _, _ = request(viewer, "/accounts")
    check(status == 403, "a viewer cannot open the accounts page (W3)")
    check(hq("merge", "list", "--format", "csv") == queue_before, "nothing changed after the refused POSTs")
    status, body, headers = request(viewer, "/report/view?year=2026&format=xlsx")
    check(status == 200 and body[:2] == "PK" and "attachment" in headers.get("Content-Disposition", ""),
          "the report's workbook downloads as an XLSX file")
    status, body, _ = request(viewer, "/report/view?year=2026&format=sql")
    check(status == 200 and "SELECT" in body, "the queries behind the report download")
    status, body, _ = request(viewer, "/report/view?year=2026&country=XX")
    check(status == 400, "an unknown country is a 400 with a reason")
    # Signing out ends the session on the server, not only in the browser.
    status, html, _ = request(editor, "/")
    token = csrf_of(html)
    status, _, _ = request(editor, "/logout", {"csrf": token})
    check(status == 303, "signing out")
    check(request(editor, "/persons")[0] == 303, "the old session opens nothing after signing out")


# [BROWSER] ------------------------------------------------------------------------------------
class Browser:
    """Chromium driven over the DevTools protocol on a pipe (fd 3 in, fd 4 out, NUL-separated)."""

    def __init__(self, profile):
        to_chrome_r, self.to_chrome = os.pipe()
        self.from_chrome, from_chrome_w = os.pipe()

        def child_fds():
            os.dup2(to_chrome_r, 3)
            os.dup2(from_chrome_w, 4)

        chromium = shutil.which("chromium")
        if not chromium:
            raise RuntimeError("chromium is not installed (platform/setup/install-deps installs it)")
        self.proc = subprocess.Popen(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--user-data-dir=" + profile, "--remote-debugging-pipe", "about:blank"],
            preexec_fn=child_fds, close_fds=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self.buffer = b""
        self.next_id = 0
        self.events = []
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        self.page("Page.enable")
        self.viewport(1280, 900, False)

    def _read(self, deadline):
        while b"\0" not in self.buffer:
            left = deadline - time.time()
            if left <= 0 or not select.select([self.from_chrome], [], [], left)[0]:
                raise RuntimeError("chromium did not answer in time")
            chunk = os.read(self.from_chrome, 1 << 16)
            if not chunk:
                raise RuntimeError("chromium closed the pipe")
            self.buffer += chunk
        msg, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(msg)

    def call(self, method, params=None, session=None, timeout=30):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self.to_chrome, json.dumps(msg).encode() + b"\0")
        deadline = time.time() + timeout
        while True:
            m = self._read(deadline)
            if m.get("id") == self.next_id:
                if "error" in m:
                    raise RuntimeError("%s: %s" % (method, m["error"]))
                return m.get("result", {})
            self.events.append(m)

    def page(self, method, params=None):
        return self.call(method, params, self.session)

    def wait_load(self, timeout=20):
        deadline = time.time() + timeout
        while True:
            for i, e in enumerate(self.events):
                if e.get("method") == "Page.loadEventFired":
                    del self.events[:i + 1]
                    return
            self.events.append(self._read(deadline))

    def viewport(self, width, height, mobile):
        self.page("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})

    def go(self, path):
        self.events.clear()
        self.page("Page.navigate", {"url": BASE + path})
        self.wait_load()

    def js(self, expression):
        # DevTools evaluates outside the page's CSP; the page itself runs no script.
        r = self.page("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        return r.get("result", {}).get("value")

    def text(self):
        return self.js("document.querySelector('main') ? document.querySelector('main').innerText : ''") or ""

    def click(self, selector, navigates=True):
        box = self.js("(() => { const e = document.querySelector(%s); if (!e) return null;"
                      " e.scrollIntoView({block: 'center'}); const r = e.getClientRects()[0];"
                      " return [r.x + r.width / 2, r.y + r.height / 2]; })()" % json.dumps(selector))
        if not box:
            raise RuntimeError("nothing to click at " + selector)
        self.events.clear()
        for kind in ("mousePressed", "mouseReleased"):
            self.page("Input.dispatchMouseEvent",
                      {"type": kind, "x": box[0], "y": box[1], "button": "left", "clickCount": 1})
        if navigates:
            self.wait_load()

    def type_into(self, selector, text):
        self.click(selector, navigates=False)
        self.page("Input.insertText", {"text": text})

    def press_enter(self):
        self.events.clear()
        for kind in ("keyDown", "keyUp"):
            self.page("Input.dispatchKeyEvent", {"type": kind, "key": "Enter", "code": "Enter",
                                                 "windowsVirtualKeyCode": 13, "text": "\r" if kind == "keyDown" else ""})
        self.wait_load()

    def screenshot(self, name):
        os.makedirs(SHOTS, exist_ok=True)
        data = self.page("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})["data"]
        with open(os.path.join(SHOTS, name), "wb") as f:
            f.write(base64.b64decode(data))

    def close(self):
        try:
            self.call("Browser.close", timeout=5)
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def browser_checks(profile):
    b = Browser(profile)
    try:
        b.go("/persons")
        check("/login" in b.js("location.pathname"), "the browser is sent to sign-in first")
        b.type_into("input[name=name]", "Nary")
        b.type_into("input[name=password]", "not the password")
        b.click("button.primary")
        check("Wrong name or password." in b.text(), "a wrong password says so on the page")
        b.screenshot("01-sign-in-wrong.png")
        b.type_into("input[name=password]", "correct horse battery")
        b.click("button.primary")
        check(b.js("location.pathname") == "/persons", "signing in returns to the page asked for")
        check("Dara" in b.text() and "سوك" in b.text(), "the talent library lists Latin and Arabic names")
        b.type_into("input[name=q]", "ដារា")
        b.press_enter()
        rows = b.js("document.querySelectorAll('tbody tr').length")
        check(rows == 1, "searching in Khmer finds the one person with that Khmer name (%s rows)" % rows)
        b.screenshot("02-search-khmer.png")
        b.go("/persons?q=sok")
        rows = b.js("document.querySelectorAll('tbody tr').length")
        check(rows == 2, "searching 'sok' finds Dara Sok (two records, one person) and Darra Sok (%s)" % rows)
        b.go("/persons?q=dara")
        check("سوك" in b.text(), "searching in Latin letters also finds a name typed only in Arabic")
        b.go("/persons?q=sok")
        b.click("tbody tr a")
        text = b.text()
        check("Kiosk records" in text, "a person's page lists their kiosk records")
        check("Participations" in text and "exhibition_visit" in text, "a person's page lists their participations")
        check("Phnom Penh gate" in text and "Johannesburg hall" in text,
              "the merged person's fields name the kiosks they came from")
        b.screenshot("03-person.png")
        b.go("/organizations")
        check(b.js("document.querySelectorAll('tbody tr').length") == 4, "the organization library lists the four schools")
        b.go("/organizations?q=sisowath")
        b.click("tbody tr a")
        check("វិទ្យាល័យព្រះស៊ីសុវត្ថិ" in b.text() and "Phnom Penh gate" in b.text(),
              "an organization's page shows its name in its own script and where it came from")
        b.screenshot("03b-organization.png")
        b.go("/merges")
        check("same birth year, similar name" in b.text(), "the review queue shows why a pair is there")
        b.screenshot("04-review-queue.png")
        b.go("/merges/1")
        check("Phnom Penh gate" in b.text() and "Yangon hall" in b.text(), "the evidence shows both sides' kiosks")
        b.screenshot("05-evidence.png")
        b.click("form[action='/merges/1/accept'] button")
        check(b.js("location.pathname") == "/history" and "Merged." in b.text(), "accepting a merge says so")
        persons = hq("persons", "--format", "csv").strip().splitlines()
        check(len(persons) - 1 == 7, "the library holds one person fewer after the merge (%d)" % (len(persons) - 1))
        b.screenshot("06-history.png")
        b.click("tbody tr form button")  # newest first: the merge just made
        check("Undone" in b.text(), "undoing a merge says so")
        persons = hq("persons", "--format", "csv").strip().splitlines()
        check(len(persons) - 1 == 8, "undo brings the person back (%d)" % (len(persons) - 1))
        actors = subprocess.run(["sqlite3", LIBRARY + "/library.sqlite3",
                                 "SELECT group_concat(actor || ':' || action, ' ') FROM audit WHERE action LIKE 'merge%'"],
                                capture_output=True, text=True).stdout.strip()
        check("web:Nary:merge" in actors, "the merge and its undo are audited as web:Nary (%s)" % actors)
        b.go("/devices")
        check("Cairo hall" in b.text(), "the kiosks page lists every kiosk")
        b.screenshot("07-devices.png")
        b.go("/events")
        check("វិទ្យាសាស្ត្រលើកង់" in b.text() and "العلوم على عجلات" in b.text(), "events show their names in their own scripts")
        check("science_camp" in b.text(), "events list their participants per activity")
        b.screenshot("08-events.png")
        b.go("/report")
        b.click("form button.primary")
        check("2026" in b.text() or "2026" in (b.js("document.body.innerText") or ""), "the yearly report opens from the form")
        b.screenshot("09-report-en.png")
        b.go("/report/view?year=2026&country=XX")
        check("XX" in b.text(), "an unknown country is refused with a message naming it")
        b.go("/")
        b.click("a[lang=zh]")
        check("人才库" in b.text() or "概览" in b.text(), "the pages switch to Chinese")
        b.screenshot("10-overview-zh.png")
        b.go("/report/view?year=2026&lang=zh")
        b.screenshot("11-report-zh.png")
        b.go("/merges/2")
        check("同一人：合并" in b.text(), "the merge buttons are in Chinese")
        b.screenshot("12-evidence-zh.png")
        b.viewport(390, 844, True)
        b.go("/persons?q=sok")
        width = b.js("document.documentElement.scrollWidth")
        check(width <= 390, "on a phone the page is no wider than the screen (%s px)" % width)
        b.screenshot("13-phone-zh.png")
        b.go("/accounts")
        check("您的角色无权执行此操作" in b.text(), "an editor is told in Chinese that accounts are for admins")
    finally:
        b.close()


def main():
    global ARGS, LIBRARY, BASE, SHOTS
    p = argparse.ArgumentParser()
    p.add_argument("--hq", required=True)
    p.add_argument("--make-library", required=True)
    p.add_argument("--work", required=True)
    ARGS = p.parse_args()
    shutil.rmtree(ARGS.work, ignore_errors=True)
    os.makedirs(ARGS.work)
    LIBRARY = os.path.join(ARGS.work, "library")
    SHOTS = os.path.join(ARGS.work, "shots")
    subprocess.run([ARGS.make_library, ARGS.work], check=True, stdout=subprocess.DEVNULL)
    hq("user", "add", "--name", "Nary", "--role", "editor", stdin="correct horse battery\n")
    hq("user", "add", "--name", "Vibol", "--role", "viewer", stdin="viewer password 1\n")
    hq("user", "add", "--name", "Admin", "--role", "admin", stdin="admin password 1\n")
    port = free_port()
    BASE = "http://127.0.0.1:%d" % port
    server = subprocess.Popen([ARGS.hq, "--library", LIBRARY, "serve", "--listen", "127.0.0.1:%d" % port],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    profile = tempfile.mkdtemp(prefix="hq-web-chromium-")
    try:
        line = server.stdout.readline()
        if "listening" not in line:
            raise RuntimeError("hq serve did not start: " + line + server.stderr.read())
        http_checks()
        # The editor signed out above; the browser signs in as the editor again.
        browser_checks(profile)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(profile, ignore_errors=True)
    check(server.returncode == 0, "hq serve stops cleanly on SIGTERM")
    if FAILURES:
        print("%d check(s) failed" % len(FAILURES))
        return 1
    print("all checks passed; screenshots in " + SHOTS)
    return 0


if __name__ == "__main__":
    sys.exit(main())
