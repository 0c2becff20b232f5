"""The command-line client examples/crm_order_client.py, run as a user would (a
subprocess, settings from the environment) against the real server.

The tests of this module follow one order through its life, in file order: created
from a JSON file, listed, moved, tracked, rated, then measured by the metrics."""

import copy
import json
import os
import re
import subprocess
import sys
import uuid
from datetime import datetime, timezone

import pytest
from conftest import PROJECT_DIR

CLIENT = PROJECT_DIR / "examples" / "crm_order_client.py"
CHAIN = ["Awaiting Payment", "Awaiting Shipment", "Awaiting Receipt", "Completed"]
CREATED = re.compile(r"^Created order (CLI\d+/\d{5}) \(id (\d+), Draft, total (\S+)\)$")


@pytest.fixture(scope="module")
def run(odoo_server):
    """Run the client with the connection settings in the environment."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key.lower() not in ("http_proxy", "all_proxy")
        and not key.startswith("CRM_ORDER_")
    }
    env.update(
        CRM_ORDER_URL=odoo_server["url"],
        CRM_ORDER_DB=odoo_server["db"],
        CRM_ORDER_USER="admin",
        CRM_ORDER_PASSWORD="admin",
    )

    def run(*args):
        return subprocess.run(
            [sys.executable, str(CLIENT), *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    return run


def ok(result):
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return result.stdout


def refused(result):
    """A refusal: exit status 1, the message on stderr (no traceback), nothing on
    stdout."""
    assert result.returncode == 1, result.stdout
    assert result.stdout == ""
    assert result.stderr.startswith("error: ")
    assert "Traceback" not in result.stderr
    return result.stderr.removeprefix("error: ").rstrip("\n")


def table_rows(output):
    """The cells of a printed table (header first), split on runs of 2+ spaces."""
    lines = output.splitlines()
    assert set(lines[1].replace(" ", "")) == {"-"}, output  # the rule under headers
    rows = []
    for line in [lines[0], *lines[2:]]:
        if not line.strip():
            break
        rows.append(re.split(r"\s{2,}", line.strip()))
    return rows


@pytest.fixture(scope="module")
def data(admin):
    """A customer, an order type and its prefix, a product and a service, all new;
    and a second type that gets no order."""
    tag = uuid.uuid4().hex[:6]
    prefix = f"CLI{int(tag, 16) % 10**6}/"
    return {
        "tag": tag,
        "prefix": prefix,
        "customer": f"CLI Customer {tag}",
        "customer_id": admin("res.partner", "create", {"name": f"CLI Customer {tag}"}),
        "type": f"CLI Type {tag}",
        "type_id": admin(
            "crm.order.type",
            "create",
            {"name": f"CLI Type {tag}", "sequence_prefix": prefix},
        ),
        "empty_type": f"CLI Empty Type {tag}",
        "empty_type_id": admin(
            "crm.order.type", "create", {"name": f"CLI Empty Type {tag}"}
        ),
        "code": f"CLI-DESK-{tag}",
        "desk_id": admin(
            "product.product",
            "create",
            {
                "name": f"CLI desk {tag}",
                "default_code": f"CLI-DESK-{tag}",
                "list_price": 200.0,
            },
        ),
        "service": f"CLI setup service {tag}",
        "service_id": admin(
            "product.product",
            "create",
            {
                "name": f"CLI setup service {tag}",
                "type": "service",
                "service_kind": "after_sales",
                "list_price": 75.0,
            },
        ),
    }


def write_order(tmp_path, content):
    path = tmp_path / "order.json"
    path.write_text(json.dumps(content), encoding="utf-8")
    return str(path)


def order_values(data, **changes):
    return {
        "customer": data["customer"],
        "type": data["type"],
        "lines": [
            {"product": data["code"], "quantity": 3, "discount": 10},
            {"product": data["service"], "price_unit": 60.0},
        ],
        **changes,
    }


@pytest.fixture(scope="module")
def order(run, admin, data, tmp_path_factory):
    """The order created from a JSON file by the client: ``(number, id)``."""
    path = write_order(tmp_path_factory.mktemp("cli"), order_values(data))
    output = ok(run("create", path))
    match = CREATED.match(output.strip())
    assert match, output
    number, order_id, total = match.group(1), int(match.group(2)), match.group(3)
    assert number.startswith(data["prefix"])
    assert total == "600.00"  # 3 x 200 - 10% = 540; 1 x 60 = 60
    return number, order_id


def read(admin, order_id, *fields):
    (row,) = admin("crm.order", "read", [order_id], fields=list(fields))
    return row


def test_create_from_a_json_file(admin, data, order):
    number, order_id = order
    row = read(admin, order_id, "name", "partner_id", "order_type_id", "amount_total")
    assert row["name"] == number
    assert row["partner_id"][0] == data["customer_id"]
    assert row["order_type_id"][0] == data["type_id"]
    assert row["amount_total"] == 600.0
    lines = admin(
        "crm.order.line",
        "search_read",
        [("order_id", "=", order_id)],
        fields=["product_id", "quantity", "price_unit", "discount"],
        order="id",
    )
    assert [
        (line["product_id"][0], line["quantity"], line["price_unit"], line["discount"])
        for line in lines
    ] == [(data["desk_id"], 3.0, 200.0, 10.0), (data["service_id"], 1.0, 60.0, 0.0)]


def test_create_by_ids(run, admin, data, tmp_path):
    values = {
        "customer": data["customer_id"],
        "lines": [{"product": data["desk_id"]}, {"product": str(data["service_id"])}],
    }
    output = ok(run("create", write_order(tmp_path, values)))
    match = re.match(r"^Created order (\S+) \(id (\d+), Draft, total 275.00\)$", output)
    assert match, output
    row = read(admin, int(match.group(2)), "partner_id", "line_count")
    assert (row["partner_id"][0], row["line_count"]) == (data["customer_id"], 2)
    admin("crm.order", "unlink", [int(match.group(2))])  # keep the customer's orders


@pytest.mark.parametrize(
    "changes, expected",
    [
        pytest.param(
            {"customer": "Nobody By This Name"},
            "no customer named 'Nobody By This Name'",
            id="unknown customer",
        ),
        pytest.param(
            {"lines": [{"product": "NO-SUCH-CODE"}]},
            "no product named 'NO-SUCH-CODE'",
            id="unknown product",
        ),
        pytest.param(
            {"lines": [{"product": 2**31 - 1}]},
            f"no product with id {2**31 - 1}",
            id="unknown product id",
        ),
        pytest.param({"lines": []}, "the order has no lines", id="no lines"),
        pytest.param(
            {"lines": [{"quantity": 1}]}, "line 1 has no product", id="no product"
        ),
        pytest.param(
            {"type": "No Such Type"},
            "no order type named 'No Such Type'",
            id="unknown type",
        ),
        # refused by the server: its message. (Not the SQL constraints of the lines,
        # which test_xmlrpc_suite.py covers: the server logs each violation as an
        # ERROR "bad query", and test_xmlrpc_server.py, which runs after this module
        # on the same server, wants a log of WARNINGs only.)
        pytest.param(
            {"lines": [{"product": "placeholder", "quantity": "lots"}]},
            "Wrong value for Quantity (quantity) of Customer Order Line: "
            "'lots' is not a number.",
            id="quantity not a number",
        ),
    ],
)
def test_create_refused_creates_nothing(run, admin, data, tmp_path, changes, expected):
    changes = copy.deepcopy(changes)
    for line in changes.get("lines", []):
        if line.get("product") == "placeholder":
            line["product"] = data["code"]
    before = admin("crm.order", "search_count", [])
    message = refused(
        run("create", write_order(tmp_path, order_values(data, **changes)))
    )
    assert message.endswith(expected), message
    assert admin("crm.order", "search_count", []) == before


def test_create_from_a_missing_or_broken_file(run, tmp_path):
    message = refused(run("create", str(tmp_path / "missing.json")))
    assert message.startswith("cannot read ")
    assert message.endswith("missing.json: No such file or directory")
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    assert "is not valid JSON" in refused(run("create", str(broken)))


def test_list_with_filters_finds_the_order(run, data, order):
    number, _order_id = order
    output = ok(
        run(
            "list",
            "--customer",
            data["customer"].lower()[4:],  # a part, in another case
            "--status",
            "draft",
            "--type",
            data["type"],
            "--limit",
            "5",
        )
    )
    rows = table_rows(output)
    assert rows[0] == ["Number", "Date", "Customer", "Type", "Status", "Total"]
    assert len(rows) == 2
    cells = rows[1]
    assert cells[0] == number
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", cells[1])
    assert cells[2:] == [data["customer"], data["type"], "Draft", "600.00"]
    assert output.endswith("\n\n1 of 1 orders\n")
    # the other filters leave it out
    assert ok(run("list", "--customer", data["customer"], "--status", "Completed")) == (
        "No orders found.\n"
    )
    assert ok(
        run("list", "--customer", data["customer"], "--type", data["empty_type"])
    ) == ("No orders found.\n")
    # an unknown status is an error that names the statuses
    message = refused(run("list", "--status", "Shipped"))
    assert message == (
        "no status 'Shipped'; statuses: Draft, Awaiting Payment, Awaiting Shipment, "
        "Awaiting Receipt, Completed, Cancelled"
    )


def test_list_limit(run):
    rows = table_rows(ok(run("list", "--limit", "3")))
    assert len(rows) == 4  # header and 3 orders


def test_move_along_an_allowed_transition_and_a_refused_one(run, admin, order):
    number, order_id = order
    assert ok(run("move", number, "--list")) == (
        f"Order {number} is Draft. Allowed next statuses: Awaiting Payment, "
        "Cancelled.\n"
    )
    message = refused(run("move", number, "Completed"))
    assert message == (
        f"Order {number} cannot move from Draft to Completed. "
        "Allowed next statuses: Awaiting Payment, Cancelled."
    )
    assert read(admin, order_id, "status_id")["status_id"][1] == "Draft"
    assert (
        admin("crm.order.status.history", "search_count", [("order_id", "=", order_id)])
        == 1
    )
    # by name, in any case; the order by its id
    assert ok(run("move", str(order_id), "awaiting payment")) == (
        f"Order {number}: Draft → Awaiting Payment\n"
    )
    assert read(admin, order_id, "status_id")["status_id"][1] == "Awaiting Payment"
    assert refused(run("move", "NO/SUCH/ORDER", "Draft")) == "no order 'NO/SUCH/ORDER'"


def test_track(run, admin, order):
    number, order_id = order
    output = ok(
        run("track", number, "--kind", "meeting", "--summary", "Visited the site")
    )
    match = re.fullmatch(
        rf"Logged meeting on order {re.escape(number)} \(event (\d+)\)\n", output
    )
    assert match, output
    (event,) = admin(
        "crm.order.tracking",
        "read",
        [int(match.group(1))],
        fields=["order_id", "kind", "summary", "user_id"],
    )
    assert (event["order_id"][0], event["kind"], event["summary"]) == (
        order_id,
        "meeting",
        "Visited the site",
    )
    assert event["user_id"][0] == admin.uid
    # argparse refuses an unknown kind (usage error: exit status 2)
    result = run("track", number, "--kind", "fax")
    assert result.returncode == 2
    assert "invalid choice: 'fax'" in result.stderr


def test_rate_after_completing(run, admin, order):
    number, order_id = order
    message = refused(run("rate", number, "5"))
    assert message == f"Only completed orders can be rated ({number})."
    current = read(admin, order_id, "status_id")["status_id"][1]
    for status in CHAIN[CHAIN.index(current) + 1 :]:
        ok(run("move", number, status))
    assert read(admin, order_id, "status_id")["status_id"][1] == "Completed"
    assert ok(run("rate", number, "4", "--comment", "Good, a bit late")) == (
        f"Order {number} rated 4/5\n"
    )
    row = read(admin, order_id, "rating", "rating_comment", "rating_date")
    assert (row["rating"], row["rating_comment"]) == (4, "Good, a bit late")
    assert row["rating_date"]
    message = refused(run("rate", number, "9"))
    assert message == "A rating is a whole number from 1 to 5, not 9."
    assert read(admin, order_id, "rating")["rating"] == 4


def test_metrics_after_a_recomputation(run, admin, data, order):
    """Runs after the order was completed, tracked and rated (above), today."""
    today = datetime.now(timezone.utc).date().isoformat()
    written = admin("crm.order.kpi", "recompute_range", today, today, ["day"])
    assert written > 0
    company_id = admin("res.users", "read", [admin.uid], fields=["company_id"])[0][
        "company_id"
    ][0]
    common = ["metrics", "--granularity", "day", "--company", str(company_id)]

    # the type of the order: one customer, two products, completed (S = 1), ...
    output = ok(run(*common, "--type", data["type"], "--limit", "1"))
    rows = table_rows(output)
    assert rows[0] == ["Period", "Type", "C", "P", "S", "O", "T", "R", "E"]
    (snapshot,) = admin(
        "crm.order.kpi",
        "search_read",
        [
            ("granularity", "=", "day"),
            ("date_start", "=", today),
            ("company_id", "=", company_id),
            ("order_type_id", "=", data["type_id"]),
        ],
        fields=["metric_t", "metric_e", "metric_e_reason", "tracking_avg"],
    )
    # ... one tracking event by one user: R = O / M x Rp = 1 / 1 x 1
    assert rows[1][:8] == [today, data["type"], "1", "2", "1.00", "2.00"] + [
        f"{snapshot['metric_t']:,.2f}",
        "1.00",
    ]
    # T (hours from confirmation to completion: seconds here) may be 0, then E is
    # undefined "T is zero"
    if snapshot["metric_e"] is False:
        assert snapshot["metric_e_reason"] == "t_zero"
        assert rows[1][8] == "— (1)"
        assert output.endswith("\n— (1) undefined: T is zero\n")
    else:
        assert rows[1][8] == f"{snapshot['metric_e']:,.2f}"
        assert "undefined" not in output

    # a type without orders: undefined figures, each with its reason
    output = ok(run(*common, "--type", data["empty_type"], "--limit", "1"))
    assert table_rows(output)[1] == [
        today,
        data["empty_type"],
        "0",
        "0",
        "— (1)",
        "— (1)",
        "— (2)",
        "— (3)",
        "— (4)",
    ]
    assert output.endswith(
        "\n\n"
        "— (1) undefined: No order reached a final status in the period\n"
        "— (2) undefined: No user moved an order to another status in the period\n"
        "— (3) undefined: No tracking event was logged in the period\n"
        "— (4) undefined: R is undefined\n"
    )


def test_connection_problems_are_one_line_messages(run, odoo_server):
    message = refused(run("--password", "wrong", "list"))
    assert (
        message == f"login refused for user 'admin' on database '{odoo_server['db']}'"
    )
    message = refused(run("--url", "http://127.0.0.1:9", "list"))
    assert message.startswith("cannot reach http://127.0.0.1:9: ")


def test_a_salesperson_cannot_read_metrics(run, salesperson):
    message = refused(
        run(
            "--user",
            salesperson.login,
            "--password",
            salesperson.password,
            "metrics",
            "--limit",
            "1",
        )
    )
    assert message.startswith(
        "You are not allowed to access 'Order Metrics Snapshot' (crm.order.kpi) "
        "records.\n\nThis operation is allowed for the following groups:"
    )


def test_cancel_needs_a_reason(run, admin, data, tmp_path):
    # Last: a cancelled order of the type would change the metrics above.
    output = ok(run("create", write_order(tmp_path, order_values(data))))
    match = CREATED.match(output.strip())
    assert match, output
    number, order_id = match.group(1), int(match.group(2))
    message = refused(run("move", number, "Cancelled"))
    assert message == f"Give a cancel reason to cancel {number}."
    row = read(admin, order_id, "status_id", "cancel_reason_id")
    assert row["status_id"][1] == "Draft"
    assert row["cancel_reason_id"] is False
    assert refused(run("move", number, "Cancelled", "--reason", "Bad weather")) == (
        "no cancel reason named 'Bad weather'"
    )
    assert ok(
        run(
            "move",
            number,
            "cancelled",
            "--reason",
            "price too high",
            "--note",
            "Asked for 15% off",
        )
    ) == (f"Order {number}: Draft → Cancelled\n")
    row = read(admin, order_id, "status_id", "cancel_reason_id", "cancel_note")
    assert row["status_id"][1] == "Cancelled"
    assert row["cancel_reason_id"][1] == "Price too high"
    assert row["cancel_note"] == "Asked for 15% off"
