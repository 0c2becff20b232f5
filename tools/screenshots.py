"""Screenshots of the running addon for the README: the order form, the status bar of
an order in progress, the orders kanban, a customer form, the order metrics graph and
an order in the customer portal, taken with headless Chromium.

    make screenshots                      # the database of `make run`, on its port
    bash tools/bench.sh tools/screenshots.py --url http://127.0.0.1:8085 --db shots_dev
    bash tools/bench.sh tools/screenshots.py --only screenshot_portal_order.png

It starts nothing but Chromium: an Odoo server must be serving the database, with the
addon's demo data and computed metrics (Reporting > Recompute Metrics). The script logs
in over HTTP, picks a completed, rated order (the one with the most lines and
follow-ups, or --order) and an order awaiting shipment for the status bar (the latest,
or --statusbar-order), drives Chromium over the DevTools protocol (websocket-client,
from Odoo's requirements) and writes the PNGs into crm_order_management/static/
description/. Standard library otherwise; Pillow, when present, shrinks large files.
"""

import argparse
import base64
import http.cookiejar
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import websocket

PROJECT_DIR = Path(__file__).resolve().parent.parent
OUT_DIR = PROJECT_DIR / "crm_order_management" / "static" / "description"
ACTION = "action-crm_order_management.%s"
CHROMIUM_NAMES = (
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
)
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--no-first-run",
    "--no-default-browser-check",
    "--hide-scrollbars",
    "--remote-debugging-address=127.0.0.1",
    "--remote-debugging-port=0",
]
# Largest PNG kept as Chromium writes it; larger ones are re-encoded with Pillow
MAX_BYTES = 300_000
# Nothing loading: the web client is idle
IDLE_JS = """
    !document.querySelector('.o_loading_indicator, .o_blockUI')
"""


class Odoo:
    """A JSON-RPC session with the Odoo server."""

    def __init__(self, url, db):
        self.url = url.rstrip("/")
        self.db = db
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies)
        )

    def rpc(self, route, params):
        data = json.dumps(
            {"jsonrpc": "2.0", "method": "call", "id": 1, "params": params}
        ).encode()
        request = urllib.request.Request(
            self.url + route, data, {"Content-Type": "application/json"}
        )
        with self.opener.open(request, timeout=60) as response:
            reply = json.load(response)
        if reply.get("error"):
            error = reply["error"]
            message = error.get("data", {}).get("message") or error.get("message")
            raise SystemExit(f"{route}: {message}")
        return reply["result"]

    def login(self, login, password):
        self.rpc(
            "/web/session/authenticate",
            {"db": self.db, "login": login, "password": password},
        )
        session_id = next(
            (cookie.value for cookie in self.cookies if cookie.name == "session_id"),
            None,
        )
        if not session_id:
            raise SystemExit("login failed: no session cookie")
        return session_id

    def call(self, model, method, *args, **kwargs):
        return self.rpc(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )


def pick_order(odoo, name=None):
    """The order to show: ``name``, else the completed, rated order with product
    and service lines and the most follow-ups and lines."""
    domain = (
        [("name", "=", name)]
        if name
        else [("status_category", "=", "done"), ("rating", ">", 0)]
    )
    orders = odoo.call(
        "crm.order",
        "search_read",
        domain,
        fields=["name", "partner_id", "line_count", "tracking_count"],
    )
    if not orders:
        raise SystemExit(
            f"no order {name}" if name else "no completed, rated order: demo data?"
        )
    lines = odoo.call(
        "crm.order.line",
        "search_read",
        [("order_id", "in", [order["id"] for order in orders])],
        fields=["order_id", "product_type"],
    )
    kinds = {}
    for line in lines:
        kinds.setdefault(line["order_id"][0], set()).add(line["product_type"])
    return max(
        orders,
        key=lambda o: (
            len(kinds.get(o["id"], ())),  # products and services
            o["tracking_count"],
            o["line_count"],
            -o["id"],
        ),
    )


def pick_order_in_progress(odoo, name=None):
    """The order whose status bar is shown: ``name``, else the latest order
    awaiting shipment (past steps behind it, two to go to Completed)."""
    if name:
        domain = [("name", "=", name)]
    else:
        (status,) = odoo.call(
            "ir.model.data",
            "search_read",
            [
                ("module", "=", "crm_order_management"),
                ("name", "=", "order_status_awaiting_shipment"),
            ],
            fields=["res_id"],
        )
        domain = [("status_id", "=", status["res_id"])]
    orders = odoo.call(
        "crm.order",
        "search_read",
        domain,
        fields=["name"],
        order="date_order desc, id desc",
        limit=1,
    )
    if not orders:
        raise SystemExit(
            f"no order {name}" if name else "no order awaiting shipment: demo data?"
        )
    return orders[0]


class Chromium:
    """A headless Chromium driven over the DevTools protocol."""

    def __init__(self, executable, width, height):
        self.profile = tempfile.mkdtemp(prefix="crm_order_screenshots_")
        self.proc = subprocess.Popen(
            [executable, *CHROMIUM_FLAGS, f"--user-data-dir={self.profile}"]
            + [f"--window-size={width},{height}", "about:blank"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.ws = None
        self.next_id = 0
        try:
            self._connect(width, height)
        except BaseException:
            self.close()
            raise

    def _connect(self, width, height):
        port_file = Path(self.profile, "DevToolsActivePort")
        for _attempt in range(200):
            if port_file.is_file() and port_file.stat().st_size > 5:
                port = int(port_file.read_text().split()[0])
                break
            if self.proc.poll() is not None:
                raise SystemExit(f"Chromium exited with code {self.proc.returncode}")
            time.sleep(0.1)
        else:
            raise SystemExit("Chromium did not open its DevTools port")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json", timeout=10) as r:
            targets = json.load(r)
        page = next(t for t in targets if t["type"] == "page")
        self.ws = websocket.create_connection(
            page["webSocketDebuggerUrl"], suppress_origin=True, timeout=60
        )
        self.send(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )

    def send(self, method, **params):
        """Send a DevTools command and return its result (events are skipped)."""
        self.next_id += 1
        self.ws.send(
            json.dumps({"id": self.next_id, "method": method, "params": params})
        )
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def evaluate(self, expression):
        result = self.send(
            "Runtime.evaluate",
            expression=expression,
            awaitPromise=True,
            returnByValue=True,
        )
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression!r}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for(self, expression, what, timeout=30.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if self.evaluate(expression):
                    return
            except RuntimeError:
                pass  # the page is navigating: its context went away
            time.sleep(0.2)
        raise SystemExit(f"timeout waiting for {what}")

    def wait_for_selector(self, selector, timeout=30.0):
        self.wait_for(
            f"!!document.querySelector({json.dumps(selector)})", selector, timeout
        )

    def settle(self, seconds=1.0):
        """Wait until the web client is idle, then for animations to end."""
        self.wait_for(IDLE_JS, "the web client to be idle")
        time.sleep(seconds)
        self.wait_for(IDLE_JS, "the web client to be idle")

    def click(self, selector):
        self.wait_for_selector(selector)
        self.evaluate(f"document.querySelector({json.dumps(selector)}).click()")

    def screenshot(self, path, clip=None):
        """A PNG of the page, or of the ``clip`` rectangle of it (x, y, width,
        height in CSS pixels)."""
        params = {"format": "png"}
        if clip:
            params["clip"] = {**clip, "scale": 1}
        data = base64.b64decode(self.send("Page.captureScreenshot", **params)["data"])
        path.write_bytes(shrink(data))
        return path

    def close(self):
        if self.ws:
            try:
                self.send("Browser.close")
            except (OSError, RuntimeError, websocket.WebSocketException):
                pass
            self.ws.close()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        shutil.rmtree(self.profile, ignore_errors=True)


def shrink(png):
    """Re-encode a PNG larger than MAX_BYTES with an adaptive palette (Pillow)."""
    if len(png) <= MAX_BYTES:
        return png
    try:
        from PIL import Image
    except ImportError:
        return png
    image = Image.open(io.BytesIO(png)).convert("RGB")
    for colors in (256, 128, 64):
        out = io.BytesIO()
        image.quantize(colors=colors, dither=Image.Dither.NONE).save(
            out, "PNG", optimize=True
        )
        if out.tell() <= MAX_BYTES:
            break
    return out.getvalue() if out.tell() < len(png) else png


def find_chromium(given):
    if given:
        return given
    for name in CHROMIUM_NAMES:
        path = shutil.which(name)
        if path:
            return path
    raise SystemExit(f"Chromium not found (looked for {', '.join(CHROMIUM_NAMES)})")


def shots(order, order_in_progress):
    """(file name, URL path, selector to wait for, selector to click or None,
    selector to wait for after the click) of each screenshot."""
    order_action = ACTION % "crm_order_action"
    return [
        (
            "screenshot_order_form.png",
            f"/odoo/{order_action}/{order['id']}",
            ".o_form_view .o_field_widget[name=line_ids] .o_data_row",
            None,
            None,
        ),
        (
            "screenshot_statusbar.png",
            f"/odoo/{order_action}/{order_in_progress['id']}",
            ".o_form_view .o_form_statusbar button[name=action_next_status]",
            None,
            None,
        ),
        (
            "screenshot_kanban.png",
            f"/odoo/{order_action}?view_type=kanban",
            ".o_kanban_renderer .o_kanban_record",
            None,
            None,
        ),
        (
            "screenshot_customer.png",
            f"/odoo/{ACTION % 'res_partner_action_customer'}/{order['partner_id'][0]}",
            ".o_form_view .o_notebook_headers a[name=crm_orders]",
            ".o_form_view .o_notebook_headers a[name=crm_orders]",
            ".o_form_view .o_notebook_headers a[name=crm_orders].active",
        ),
        (
            "screenshot_metrics_graph.png",
            f"/odoo/{ACTION % 'crm_order_kpi_action'}",
            ".o_graph_view .o_graph_renderer canvas",
            None,
            None,
        ),
    ]


def portal_order_id(odoo):
    """The demo order of the demo portal user's company that awaits receipt."""
    (data,) = odoo.call(
        "ir.model.data",
        "search_read",
        [
            ("module", "=", "crm_order_management"),
            ("name", "=", "order_portal_2_demo"),
        ],
        fields=["res_id"],
    )
    return data["res_id"]


def portal_shots(order_id):
    """The portal shots, taken as the demo portal user (same tuples as shots)."""
    return [
        (
            "screenshot_portal_order.png",
            f"/my/crm_orders/{order_id}",
            "#crm_order_timeline li",
            None,
            None,
        ),
    ]


# Rendered later than the page: the portal chatter (in a shadow root)
LATE_PARTS = {
    "screenshot_portal_order.png": """
        !!document.querySelector('#chatterRoot')?.shadowRoot
            ?.querySelector('.o-mail-Composer-input, .o-mail-Message')
    """,
}


# Cropped to a part of the page: its selector, and the margin kept around it (px)
CLIPS = {
    "screenshot_statusbar.png": (".o_form_view .o_form_statusbar", 8),
}


def clip_of(browser, selector, margin):
    """The rectangle of the element ``selector``, with ``margin`` around it."""
    rect = browser.evaluate(
        f"""(() => {{
            const r = document.querySelector({json.dumps(selector)})
                .getBoundingClientRect();
            return {{x: r.left, y: r.top, width: r.width, height: r.height}};
        }})()"""
    )
    x, y = max(rect["x"] - margin, 0), max(rect["y"] - margin, 0)
    return {
        "x": x,
        "y": y,
        "width": rect["x"] + rect["width"] + margin - x,
        "height": rect["y"] + rect["height"] + margin - y,
    }


def take(browser, odoo, session_id, shots_list, out, only):
    host = urllib.parse.urlsplit(odoo.url).hostname
    browser.send(
        "Network.setCookie",
        name="session_id",
        value=session_id,
        domain=host,
        path="/",
        httpOnly=True,
    )
    for name, path, ready, click, clicked in shots_list:
        if only and name not in only:
            continue
        browser.send("Page.navigate", url=odoo.url + path)
        browser.wait_for_selector(ready)
        if name in LATE_PARTS:
            browser.wait_for(LATE_PARTS[name], "the portal chatter")
        if click:
            browser.click(click)
            browser.wait_for_selector(clicked)
        browser.settle()
        clip = clip_of(browser, *CLIPS[name]) if name in CLIPS else None
        written = browser.screenshot(out / name, clip)
        size = written.stat().st_size
        print(f"{written}: {size // 1024} KB")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--url",
        default=f"http://localhost:{os.environ.get('ODOO_HTTP_PORT', '8069')}",
        help="the running Odoo server (default: http://localhost:$ODOO_HTTP_PORT)",
    )
    parser.add_argument(
        "--db",
        default=os.environ.get("ODOO_DB", "crm_order_demo"),
        help="database (default: $ODOO_DB or crm_order_demo)",
    )
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument("--order", help="number of the order to show (default: picked)")
    parser.add_argument(
        "--statusbar-order",
        help="number of the order whose status bar is shown (default: picked)",
    )
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="output folder")
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=900)
    parser.add_argument("--chromium", help="Chromium executable (default: from PATH)")
    parser.add_argument(
        "--portal-login", default="portal", help="the demo portal user's login"
    )
    parser.add_argument("--portal-password", default="portal")
    parser.add_argument(
        "--only", nargs="*", help="file names of the screenshots to take (default: all)"
    )
    args = parser.parse_args()

    odoo = Odoo(args.url, args.db)
    session_id = odoo.login(args.login, args.password)
    order = pick_order(odoo, args.order)
    print(f"order shown: {order['name']} ({order['partner_id'][1]})")
    order_in_progress = pick_order_in_progress(odoo, args.statusbar_order)
    print(f"status bar of: {order_in_progress['name']}")
    args.out.mkdir(parents=True, exist_ok=True)

    portal_order = portal_order_id(odoo)
    portal = Odoo(args.url, args.db)
    portal_session = portal.login(args.portal_login, args.portal_password)
    browser = Chromium(find_chromium(args.chromium), args.width, args.height)
    try:
        take(
            browser,
            odoo,
            session_id,
            shots(order, order_in_progress),
            args.out,
            args.only,
        )
        take(
            browser,
            portal,
            portal_session,
            portal_shots(portal_order),
            args.out,
            args.only,
        )
    finally:
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
