#!/usr/bin/env python3
"""Command-line client of the CRM orders of an Odoo 18 server, over XML-RPC.

Standard library only: copy this file anywhere with Python 3.10+ and run it.

Connection settings come from options placed before the command, else from the
environment, else from the defaults of ``make run``:

    --url       CRM_ORDER_URL       http://localhost:8069
    --db        CRM_ORDER_DB        crm_order_demo
    --user      CRM_ORDER_USER      admin
    --password  CRM_ORDER_PASSWORD  admin

Commands:

    list      orders, newest first: number, date (UTC), customer, type, status, total
    create    an order from a JSON file (see examples/order.json); prints its number
    move      move an order to another status (--list: the statuses allowed now);
              cancelling needs a reason: --reason NAME [--note TEXT]
    track     log a follow-up (call, email, meeting, delivery_check, other)
    rate      record the customer's rating (1 to 5) of a completed order
    metrics   the latest order metrics snapshots (C, P, S, O, T, R, E); an
              undefined figure is printed "—" with the reason below the table

Examples:

    export CRM_ORDER_URL=http://localhost:8069 CRM_ORDER_DB=crm_order_demo
    python3 crm_order_client.py list --status Draft --customer northwind --limit 5
    python3 crm_order_client.py list --type "Returning Customer"
    python3 crm_order_client.py create examples/order.json
    python3 crm_order_client.py move NEW/2026/00042 --list
    python3 crm_order_client.py move NEW/2026/00042 "Awaiting Payment"
    python3 crm_order_client.py move NEW/2026/00042 Cancelled \
        --reason "Price too high" --note "Asked for 15% off"
    python3 crm_order_client.py track NEW/2026/00042 --kind call --summary "Confirmed"
    python3 crm_order_client.py rate 42 5 --comment "Fast and friendly"
    python3 crm_order_client.py metrics --granularity week --limit 10 --type all
    python3 crm_order_client.py metrics --type "New Customer" --company YourCompany
    python3 crm_order_client.py --user sales --password secret list

An order is given by its number or by its id; statuses, types and customers by name
(case-insensitive). The JSON file of ``create``:

    {
      "customer": "Northwind Office Supplies",    (a name, or an id)
      "type": "Returning Customer",                (optional; else chosen by Odoo)
      "date_order": "2026-05-04 09:30:00",         (optional, UTC)
      "lines": [
        {"product": "FUR-CHAIR-01", "quantity": 4, "discount": 5},
        {"product": "On-site Installation", "quantity": 1, "price_unit": 90.0}
      ]
    }

A line's product is an id, an internal reference (default_code) or a name; quantity
defaults to 1, price_unit to the product's price, discount (%) to 0.

Exit status: 0 on success, 1 when the server refuses (its message is printed on
stderr) or something is not found, 2 on a usage error.
"""

import argparse
import datetime
import json
import os
import sys
import xmlrpc.client

DEFAULTS = {
    "url": ("CRM_ORDER_URL", "http://localhost:8069"),
    "db": ("CRM_ORDER_DB", "crm_order_demo"),
    "user": ("CRM_ORDER_USER", "admin"),
    "password": ("CRM_ORDER_PASSWORD", "admin"),
}
TRACKING_KINDS = ["call", "email", "meeting", "delivery_check", "other"]
UNDEFINED = "—"


class ClientError(Exception):
    """A problem to report in one line on stderr (exit status 1)."""


# ------------------------------------------------------------
# Connection
# ------------------------------------------------------------


class Connection:
    def __init__(self, url, db, user, password):
        self.db, self.password = db, password
        url = url.rstrip("/")
        common = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common")
        self.uid = common.authenticate(db, user, password, {})
        if not self.uid:
            raise ClientError(f"login refused for user {user!r} on database {db!r}")
        self.models = xmlrpc.client.ServerProxy(
            f"{url}/xmlrpc/2/object", allow_none=True
        )

    def __call__(self, model, method, *args, **kwargs):
        return self.models.execute_kw(
            self.db, self.uid, self.password, model, method, list(args), kwargs
        )


def fault_message(fault):
    """The message of a Fault: the error's own text, or the last line of a
    server traceback (without the exception's class)."""
    text = str(fault.faultString).strip()
    if "Traceback (most recent call last)" in text:
        text = text.splitlines()[-1]
        name, sep, rest = text.partition(": ")
        if sep and ("." in name or name.endswith("Error")):
            text = rest
    return text


# ------------------------------------------------------------
# Finding records by name
# ------------------------------------------------------------


def literal(text):
    """``text`` for an =ilike comparison: its % and _ are not wildcards."""
    return str(text).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def find_one(call, model, value, what, fields=("name",)):
    """The id of the record of ``model`` whose id is ``value`` (an int or digits), or
    whose name or one of ``fields`` equals ``value`` (case-insensitive)."""
    if isinstance(value, int) or str(value).isdigit():
        if call(model, "search", [("id", "=", int(value))]):
            return int(value)
        raise ClientError(f"no {what} with id {value}")
    for field in fields:
        ids = call(model, "search", [(field, "=ilike", literal(value))], limit=2)
        if len(ids) == 1:
            return ids[0]
        if ids:
            raise ClientError(f"several {what}s match {value!r}: give the id")
    raise ClientError(f"no {what} named {value!r}")


def find_order(call, value):
    """An order by its number or its id: ``(id, number)``."""
    if str(value).isdigit():
        rows = call("crm.order", "search_read", [("id", "=", int(value))], ["name"])
    else:
        rows = call("crm.order", "search_read", [("name", "=", value)], ["name"])
    if not rows:
        raise ClientError(f"no order {value!r}")
    return rows[0]["id"], rows[0]["name"]


def find_status(call, name):
    ids = call(
        "crm.order.status", "search", [("name", "=ilike", literal(name))], limit=1
    )
    if not ids:
        names = [
            s["name"] for s in call("crm.order.status", "search_read", [], ["name"])
        ]
        raise ClientError(f"no status {name!r}; statuses: {', '.join(names)}")
    return ids[0]


def find_cancel_reason(call, name):
    return find_one(call, "crm.order.cancel.reason", name, "cancel reason")


def find_company(call, name):
    return find_one(call, "res.company", name, "company")


def find_type(call, name):
    return find_one(call, "crm.order.type", name, "order type", ("name", "code"))


# ------------------------------------------------------------
# Output
# ------------------------------------------------------------


def print_table(headers, rows, right=()):
    """Print ``rows`` (lists of strings) under ``headers``; the columns whose index
    is in ``right`` are aligned right."""
    widths = [
        max([len(header)] + [len(row[i]) for row in rows])
        for i, header in enumerate(headers)
    ]

    def line(cells):
        return "  ".join(
            cell.rjust(width) if i in right else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    print(line(headers))
    print(line(["-" * width for width in widths]))
    for row in rows:
        print(line(row))


def name_of(value):
    """The name of a many2one value as read over XML-RPC ([id, name] or False)."""
    return value[1] if value else ""


# ------------------------------------------------------------
# Commands
# ------------------------------------------------------------


def cmd_list(call, args):
    domain = []
    if args.status:
        domain.append(("status_id", "=", find_status(call, args.status)))
    if args.type:
        domain.append(("order_type_id", "=", find_type(call, args.type)))
    if args.customer:
        domain.append(("partner_id", "ilike", args.customer))
    orders = call(
        "crm.order",
        "search_read",
        domain,
        fields=[
            "name",
            "date_order",
            "partner_id",
            "order_type_id",
            "status_id",
            "amount_total",
        ],
        limit=args.limit,
    )
    if not orders:
        print("No orders found.")
        return 0
    print_table(
        ["Number", "Date", "Customer", "Type", "Status", "Total"],
        [
            [
                order["name"],
                (order["date_order"] or "")[:16],
                name_of(order["partner_id"]),
                name_of(order["order_type_id"]),
                name_of(order["status_id"]),
                f"{order['amount_total']:,.2f}",
            ]
            for order in orders
        ],
        right={5},
    )
    total = call("crm.order", "search_count", domain)
    print(f"\n{len(orders)} of {total} orders")
    return 0


def read_order_file(path):
    try:
        with open(path, encoding="utf-8") as file:
            data = json.load(file)
    except OSError as error:
        raise ClientError(f"cannot read {path}: {error.strerror}") from None
    except json.JSONDecodeError as error:
        raise ClientError(f"{path} is not valid JSON: {error}") from None
    if not isinstance(data, dict):
        raise ClientError(f"{path}: expected a JSON object with customer and lines")
    if data.get("customer") in (None, ""):
        raise ClientError(f"{path}: the order has no customer")
    lines = data.get("lines")
    if not isinstance(lines, list) or not lines:
        raise ClientError(f"{path}: the order has no lines")
    for number, line in enumerate(lines, start=1):
        if not isinstance(line, dict) or line.get("product") in (None, ""):
            raise ClientError(f"{path}: line {number} has no product")
    return data


def cmd_create(call, args):
    data = read_order_file(args.file)
    values = {
        "partner_id": find_one(call, "res.partner", data["customer"], "customer"),
        "line_ids": [],
    }
    if data.get("type"):
        values["order_type_id"] = find_type(call, data["type"])
    if data.get("date_order"):
        values["date_order"] = data["date_order"]
    if data.get("note"):
        values["note"] = data["note"]
    for line in data["lines"]:
        line_values = {
            "product_id": find_one(
                call,
                "product.product",
                line["product"],
                "product",
                ("default_code", "name"),
            ),
            "quantity": line.get("quantity", 1),
        }
        for key in ("price_unit", "discount"):
            if key in line:
                line_values[key] = line[key]
        values["line_ids"].append((0, 0, line_values))
    order_id = call("crm.order", "create", values)
    (order,) = call(
        "crm.order", "read", [order_id], fields=["name", "amount_total", "status_id"]
    )
    print(
        f"Created order {order['name']} (id {order_id}, "
        f"{name_of(order['status_id'])}, total {order['amount_total']:,.2f})"
    )
    return 0


def cmd_move(call, args):
    order_id, number = find_order(call, args.order)
    (order,) = call("crm.order", "read", [order_id], fields=["status_id"])
    current = name_of(order["status_id"])
    if args.list:
        allowed = call("crm.order", "get_allowed_transitions", [order_id])
        names = ", ".join(status["name"] for status in allowed) or "none"
        print(f"Order {number} is {current}. Allowed next statuses: {names}.")
        return 0
    if not args.status:
        raise ClientError("give the status to move to, or --list")
    status_id = find_status(call, args.status)
    options = {}
    if args.reason:
        options["cancel_reason_id"] = find_cancel_reason(call, args.reason)
    if args.note:
        options["cancel_note"] = args.note
    call("crm.order", "action_set_status", [order_id], status_id, **options)
    (order,) = call("crm.order", "read", [order_id], fields=["status_id"])
    print(f"Order {number}: {current} → {name_of(order['status_id'])}")
    return 0


def cmd_track(call, args):
    order_id, number = find_order(call, args.order)
    event_id = call(
        "crm.order.tracking",
        "create",
        {"order_id": order_id, "kind": args.kind, "summary": args.summary},
    )
    print(f"Logged {args.kind} on order {number} (event {event_id})")
    return 0


def cmd_rate(call, args):
    order_id, number = find_order(call, args.order)
    call("crm.order", "action_rate", [order_id], args.rating, args.comment or False)
    print(f"Order {number} rated {args.rating}/5")
    return 0


def period_label(granularity, date_start):
    if granularity == "month":
        return date_start[:7]
    if granularity == "week":
        # ISO week of the Monday that starts the period
        year, week, _day = datetime.date.fromisoformat(date_start).isocalendar()
        return f"{year}-W{week:02d}"
    return date_start


METRIC_COLUMNS = [
    # header, field, reason field, digits
    ("C", "customer_count", None, 0),
    ("P", "product_count", None, 0),
    ("S", "success_rate", "metric_o_reason", 2),
    ("O", "metric_o", "metric_o_reason", 2),
    ("T", "metric_t", "metric_t_reason", 2),
    ("R", "metric_r", "metric_r_reason", 2),
    ("E", "metric_e", "metric_e_reason", 2),
]


def cmd_metrics(call, args):
    domain = [("granularity", "=", args.granularity)]
    if args.company:
        domain.append(("company_id", "=", find_company(call, args.company)))
    if args.type and args.type.lower() == "all":
        domain.append(("order_type_id", "=", False))
    elif args.type:
        domain.append(("order_type_id", "=", find_type(call, args.type)))
    fields = ["date_start", "company_id", "order_type_id"]
    fields += [column[1] for column in METRIC_COLUMNS]
    fields += sorted({column[2] for column in METRIC_COLUMNS if column[2]})
    rows = call(
        "crm.order.kpi",
        "search_read",
        domain,
        fields=fields,
        order="date_start desc, company_id, order_type_id desc, id",
        limit=args.limit,
    )
    # newest period first; then by company, all types together first, then each
    # type by name
    companies = list(dict.fromkeys(row["company_id"][0] for row in rows))
    rows.sort(
        key=lambda row: (
            companies.index(row["company_id"][0]),
            name_of(row["order_type_id"]),
        )
    )
    rows.sort(key=lambda row: row["date_start"], reverse=True)
    if not rows:
        print(f"No {args.granularity} snapshots; they are computed daily.")
        return 0
    labels = dict(
        call("crm.order.kpi", "fields_get", ["metric_o_reason"], ["selection"])[
            "metric_o_reason"
        ]["selection"]
    )
    reasons = {}  # label -> footnote number

    def cell(row, field, reason_field, digits):
        value = row[field]
        if value is False:  # undefined (0.0 is a value: test "is False")
            label = labels.get(row[reason_field], row[reason_field] or "undefined")
            number = reasons.setdefault(label, len(reasons) + 1)
            return f"{UNDEFINED} ({number})"
        return f"{value:,.{digits}f}"

    headers = ["Period"] + (["Company"] if len(companies) > 1 else []) + ["Type"]
    headers += [column[0] for column in METRIC_COLUMNS]
    table = []
    for row in rows:
        cells = [period_label(args.granularity, row["date_start"])]
        if len(companies) > 1:
            cells.append(name_of(row["company_id"]))
        cells.append(name_of(row["order_type_id"]) or "all")
        cells += [cell(row, *column[1:]) for column in METRIC_COLUMNS]
        table.append(cells)
    first_metric = len(headers) - len(METRIC_COLUMNS)
    print_table(headers, table, right=set(range(first_metric, len(headers))))
    if reasons:
        print()
        for label, number in reasons.items():
            print(f"{UNDEFINED} ({number}) undefined: {label}")
    return 0


# ------------------------------------------------------------
# Command line
# ------------------------------------------------------------


def positive_int(text):
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError("must be a positive number")
    return value


def build_parser():
    parser = argparse.ArgumentParser(
        prog="crm_order_client.py",
        description="CRM orders of an Odoo 18 server, over XML-RPC.",
        epilog="Run a command with --help for its options; see the top of this "
        "file for examples.",
    )
    for option, (variable, default) in DEFAULTS.items():
        shown = "admin" if option == "password" else default
        parser.add_argument(
            f"--{option}",
            default=os.environ.get(variable, default),
            help=f"environment variable {variable}, default {shown}",
        )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    sub = commands.add_parser("list", help="list orders")
    sub.add_argument("--status", metavar="NAME", help="status name, e.g. Draft")
    sub.add_argument("--customer", metavar="TEXT", help="part of the customer's name")
    sub.add_argument("--type", metavar="NAME", help="order type name or code")
    sub.add_argument("--limit", type=positive_int, default=20, metavar="N")
    sub.set_defaults(func=cmd_list)

    sub = commands.add_parser("create", help="create an order from a JSON file")
    sub.add_argument("file", metavar="FILE.json")
    sub.set_defaults(func=cmd_create)

    sub = commands.add_parser("move", help="move an order to another status")
    sub.add_argument("order", metavar="ORDER", help="order number or id")
    sub.add_argument("status", metavar="STATUS", nargs="?", help="status name")
    sub.add_argument(
        "--list", action="store_true", help="show the statuses allowed now"
    )
    sub.add_argument(
        "--reason", metavar="NAME", help='cancel reason, e.g. "Price too high"'
    )
    sub.add_argument("--note", metavar="TEXT", help="why the order is cancelled")
    sub.set_defaults(func=cmd_move)

    sub = commands.add_parser("track", help="log a follow-up of an order")
    sub.add_argument("order", metavar="ORDER", help="order number or id")
    sub.add_argument("--kind", choices=TRACKING_KINDS, default="call")
    sub.add_argument("--summary", metavar="TEXT", default="")
    sub.set_defaults(func=cmd_track)

    sub = commands.add_parser("rate", help="rate a completed order (1 to 5)")
    sub.add_argument("order", metavar="ORDER", help="order number or id")
    sub.add_argument("rating", metavar="N", type=int)
    sub.add_argument("--comment", metavar="TEXT")
    sub.set_defaults(func=cmd_rate)

    sub = commands.add_parser("metrics", help="latest order metrics snapshots")
    sub.add_argument("--granularity", choices=["day", "week", "month"], default="month")
    sub.add_argument("--limit", type=positive_int, default=10, metavar="N")
    sub.add_argument("--type", metavar="NAME", help='order type name or code, or "all"')
    sub.add_argument("--company", metavar="NAME", help="company name or id")
    sub.set_defaults(func=cmd_metrics)
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    try:
        call = Connection(args.url, args.db, args.user, args.password)
        return args.func(call, args)
    except xmlrpc.client.Fault as fault:
        print(f"error: {fault_message(fault)}", file=sys.stderr)
    except ClientError as error:
        print(f"error: {error}", file=sys.stderr)
    except (OSError, xmlrpc.client.ProtocolError) as error:
        print(f"error: cannot reach {args.url}: {error}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
