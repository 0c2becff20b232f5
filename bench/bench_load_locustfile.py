"""The users of `make bench-load` (bench/bench_load.py runs this file with locust).

Two kinds of users do the same mix of work, as the web client does it (its JSON-RPC
routes, so that Odoo sends the read-only calls to the read replica):

- ``CrmOrderUser`` on ``crm.order``: list the orders, search them, open one (the form's
  read, with its lines), create one with 3 lines, move one along the workflow (the
  form's button), log a follow-up, read the metrics (the graph's grouping);
- ``SaleOrderUser`` on ``sale.order``: the same, with ``action_confirm`` as the
  workflow step, a chatter note as the follow-up and the sales analysis as metrics.

Every call is reported to locust under the name "<model> <kind>". Each user logs in
as its own salesperson (created by bench/bench_load.py) on one of the Odoo servers,
taken in turn, and makes each kind of call once before the random mix begins. What
the server acknowledged (orders created, status moves, confirmations) is appended to a
file per process, for the integrity check; every call's duration goes to another, for
the percentiles. Settings come from the JSON file named by ``LOAD_CONFIG``.
"""

import itertools
import json
import os
import random
import time
from pathlib import Path

from locust import HttpUser, between, events, task

CONFIG = json.loads(Path(os.environ["LOAD_CONFIG"]).read_text())
OUT_DIR = Path(CONFIG["out_dir"])
_acked = open(OUT_DIR / f"acked-{os.getpid()}.jsonl", "a", buffering=1)
_timings = open(OUT_DIR / f"requests-{os.getpid()}.csv", "a", buffering=1)
_logins = itertools.count()


@events.request.add_listener
def _record(name, response_time, exception, **_kwargs):
    _timings.write(
        f"{name},{response_time:.3f},{0 if exception else 1},{time.time()}\n"
    )


def ack(**record):
    _acked.write(json.dumps(record) + "\n")


class JsonRpcError(Exception):
    pass


class OdooUser(HttpUser):
    """A salesperson of the web client on one of the servers."""

    abstract = True
    host = CONFIG["urls"][0]
    wait_time = between(*CONFIG["wait"])
    model = None
    line_field = qty_field = None
    list_fields = {}

    def on_start(self):
        index = next(_logins)
        self.login, self.password = CONFIG["logins"][index % len(CONFIG["logins"])]
        self.url = CONFIG["urls"][index % len(CONFIG["urls"])]
        self.pending = []  # ids of this user's orders still to move along
        self.seen = []  # ids of the last list shown
        self.rpc(
            "/web/session/authenticate",
            {"db": CONFIG["db"], "login": self.login, "password": self.password},
            name="login",
        )
        # a first look at everything, so that even a short run makes each kind of
        # call at least once per user
        for step in (
            self.list_orders,
            self.search_orders,
            self.open_order,
            self.create_order,
            self.move_order,
            self.follow_up,
            self.metrics,
        ):
            step()

    def rpc(self, route, params, name):
        """One JSON-RPC call, reported to locust as ``name``; a JSON-RPC error is a
        failure."""
        with self.client.post(
            self.url + route,
            json={"jsonrpc": "2.0", "method": "call", "params": params},
            name=name,
            catch_response=True,
        ) as response:
            try:
                body = response.json()
            except ValueError:
                response.failure(f"not JSON: HTTP {response.status_code}")
                return None
            if "error" in body:
                error = body["error"].get("data", {}).get("message") or body["error"]
                response.failure(f"{name}: {error}")
                return None
            return body["result"]

    def call(self, method, args, kwargs=None, kind=None, button=False):
        route = "/web/dataset/call_button" if button else "/web/dataset/call_kw"
        return self.rpc(
            f"{route}/{self.model}/{method}",
            {
                "model": self.model,
                "method": method,
                "args": args,
                "kwargs": {"context": {"lang": "en_US"}, **(kwargs or {})},
            },
            name=f"{self.model} {kind or method}",
        )

    @task(4)
    def list_orders(self):
        result = self.call(
            "web_search_read",
            [],
            {
                "domain": [],
                "specification": self.list_fields,
                "limit": 80,
                "order": "date_order desc, id desc",
                "count_limit": 10001,
            },
            kind="list",
        )
        if result:
            self.seen = [record["id"] for record in result["records"]]

    @task(2)
    def search_orders(self):
        customer = random.choice(CONFIG["customer_names"])
        self.call(
            "web_search_read",
            [],
            {
                "domain": [
                    "|",
                    ("name", "ilike", "/0"),
                    ("partner_id", "ilike", customer),
                ],
                "specification": self.list_fields,
                "limit": 80,
                "count_limit": 10001,
            },
            kind="search",
        )

    @task(4)
    def open_order(self):
        if not self.seen:
            return self.list_orders()
        order_id = random.choice(self.seen)
        return self.call("web_read", [[order_id]], self.form_spec(), kind="open")

    @task(2)
    def create_order(self):
        customer_id = random.choice(CONFIG["customer_ids"])
        lines = [
            (0, 0, {"product_id": product_id, self.qty_field: 1 + i})
            for i, product_id in enumerate(CONFIG["product_ids"])
        ]
        result = self.call(
            "web_save",
            [[], {"partner_id": customer_id, self.line_field: lines}],
            {"specification": {"name": {}}},
            kind="create",
        )
        if result:
            (record,) = result
            self.pending.append(record["id"])
            ack(
                model=self.model,
                id=record["id"],
                name=record["name"],
                lines=len(lines),
                user=self.login,
            )


class CrmOrderUser(OdooUser):
    model = "crm.order"
    line_field = "line_ids"
    qty_field = "quantity"
    list_fields = {
        "name": {},
        "partner_id": {"fields": {"display_name": {}}},
        "date_order": {},
        "user_id": {"fields": {"display_name": {}}},
        "order_type_id": {"fields": {"display_name": {}}},
        "status_id": {"fields": {"display_name": {}}},
        "amount_total": {},
        "currency_id": {"fields": {}},
    }

    def form_spec(self):
        return {
            "specification": {
                **self.list_fields,
                "status_path_ids": {"fields": {"display_name": {}}},
                "line_ids": {
                    "fields": {
                        "product_id": {"fields": {"display_name": {}}},
                        "name": {},
                        "quantity": {},
                        "price_unit": {},
                        "discount": {},
                        "price_subtotal": {},
                    }
                },
                "tracking_count": {},
                "rating": {},
            }
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.moves = {}  # order id -> status moves acknowledged

    @task(2)
    def move_order(self):
        """The oldest of this user's open orders, one step along: the form's main
        button, or every fifth order cancelled at its second step."""
        if not self.pending:
            return
        order_id = self.pending[0]
        done = self.moves.get(order_id, 0)
        if order_id % 5 == 0 and done == 1:
            result = self.call(
                "action_set_status",
                [[order_id], CONFIG["cancelled_status_id"]],
                {"cancel_reason_id": CONFIG["cancel_reason_id"]},
                kind="move",
            )
            final = True
        else:
            result = self.call(
                "action_next_status", [[order_id]], kind="move", button=True
            )
            final = done + 1 == CONFIG["moves_to_done"]
        if result is None:
            return
        self.moves[order_id] = done + 1
        ack(model=self.model, id=order_id, event="move")
        if final:
            self.pending.pop(0)

    @task(1)
    def follow_up(self):
        if not self.seen:
            return
        order_id = random.choice(self.pending or self.seen)
        self.rpc(
            "/web/dataset/call_kw/crm.order.tracking/web_save",
            {
                "model": "crm.order.tracking",
                "method": "web_save",
                "args": [
                    [],
                    {"order_id": order_id, "kind": "call", "summary": "Load test call"},
                ],
                "kwargs": {"specification": {}},
            },
            name="crm.order follow-up",
        )

    @task(1)
    def metrics(self):
        self.rpc(
            "/web/dataset/call_kw/crm.order.kpi/web_read_group",
            {
                "model": "crm.order.kpi",
                "method": "web_read_group",
                "args": [],
                "kwargs": {
                    "domain": [
                        ("granularity", "=", "month"),
                        ("order_type_id", "=", False),
                    ],
                    "fields": ["metric_o:avg", "metric_t:avg"],
                    "groupby": ["date_start:month"],
                    "lazy": False,
                },
            },
            name="crm.order metrics",
        )


class SaleOrderUser(OdooUser):
    model = "sale.order"
    line_field = "order_line"
    qty_field = "product_uom_qty"
    list_fields = {
        "name": {},
        "partner_id": {"fields": {"display_name": {}}},
        "date_order": {},
        "user_id": {"fields": {"display_name": {}}},
        "team_id": {"fields": {"display_name": {}}},
        "state": {},
        "amount_total": {},
        "currency_id": {"fields": {}},
    }

    def form_spec(self):
        return {
            "specification": {
                **self.list_fields,
                "order_line": {
                    "fields": {
                        "product_id": {"fields": {"display_name": {}}},
                        "name": {},
                        "product_uom_qty": {},
                        "price_unit": {},
                        "discount": {},
                        "price_subtotal": {},
                    }
                },
            }
        }

    @task(2)
    def move_order(self):
        """The oldest of this user's quotations confirmed: the form's button."""
        if not self.pending:
            return
        order_id = self.pending[0]
        result = self.call("action_confirm", [[order_id]], kind="move", button=True)
        if result is None:
            return
        ack(model=self.model, id=order_id, event="move")
        self.pending.pop(0)

    @task(1)
    def follow_up(self):
        if not self.seen:
            return
        order_id = random.choice(self.seen)
        self.call(
            "message_post",
            [[order_id]],
            {
                "body": "Load test call",
                "message_type": "comment",
                "subtype_xmlid": "mail.mt_note",
            },
            kind="follow-up",
        )

    @task(1)
    def metrics(self):
        self.rpc(
            "/web/dataset/call_kw/sale.report/web_read_group",
            {
                "model": "sale.report",
                "method": "web_read_group",
                "args": [],
                "kwargs": {
                    "domain": [("state", "=", "sale")],
                    "fields": ["price_total:sum", "nbr:sum"],
                    "groupby": ["date:month"],
                    "lazy": False,
                },
            },
            name="sale.order metrics",
        )
