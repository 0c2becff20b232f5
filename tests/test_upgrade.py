"""A database of the previous release upgrades to the working tree and keeps its data.

The previous release of the addon (18.0.1.0.0) is taken from the git history of
this repository, installed with its demo data into a scratch database (with an
addons path where that old copy comes first), filled through its own API, then
upgraded with ``-u`` by the working tree. Every order, line, status history row,
tracking event, rating, transition and recurrence setting must be the same after
the upgrade (the one expected change: a duplicate order number gets "-<id>"), and
the upgrade's log must hold no WARNING or ERROR line.
"""

import ast
import json
import os
import subprocess
import tarfile
from io import BytesIO

import pytest
from conftest import MODULE, ODOO_CONF, ODOO_SRC, PROJECT_DIR, OdooProcess

PREVIOUS_VERSION = "18.0.1.0.0"
# The last commit of the 18.0.1.0.0 release on main (another commit may be named in
# CRM_ORDER_PREVIOUS_RELEASE). Found again from the manifests when it is not in the
# history (see previous_release()).
PREVIOUS_RELEASE = os.environ.get("CRM_ORDER_PREVIOUS_RELEASE", "83a57a6")
MANIFEST = f"{MODULE}/__manifest__.py"


def git(*args, binary=False):
    proc = subprocess.run(
        ["git", "-C", str(PROJECT_DIR), *args],
        capture_output=True,
        check=False,
        text=not binary,
    )
    return proc.stdout if proc.returncode == 0 else None


def manifest_version(commit):
    text = git("show", f"{commit}:{MANIFEST}")
    return ast.literal_eval(text).get("version") if text else None


def previous_release():
    """The commit of the previous release: PREVIOUS_RELEASE when it is in the
    history of HEAD with the previous version, else the newest commit of HEAD's
    history whose manifest says PREVIOUS_VERSION (the last one before the version
    was raised)."""
    if (
        git("merge-base", "--is-ancestor", PREVIOUS_RELEASE, "HEAD") is not None
        and manifest_version(PREVIOUS_RELEASE) == PREVIOUS_VERSION
    ):
        return PREVIOUS_RELEASE
    history = git("rev-list", "HEAD") or ""
    for commit in history.split():
        if manifest_version(commit) == PREVIOUS_VERSION:
            return commit
    pytest.fail(
        f"no commit with version {PREVIOUS_VERSION} in the git history of "
        f"{PROJECT_DIR}: the upgrade test needs the repository's history"
    )


# Run with `odoo-bin shell` by the previous release: a recurring order, a completed
# and rated order with tracking events, a cancelled order with a reason, made by the
# administrator, and two orders sharing a number (which 18.0.1.0.0 allowed; skipped
# when the release already refuses them).
FILL_SCRIPT = """
import json
uenv = env(user=env.ref("base.user_admin"))
ref = uenv.ref
Order = uenv["crm.order"]
status = lambda name: ref("crm_order_management.order_status_" + name).id
partner = uenv["res.partner"].create({"name": "Upgrade Customer"})
product = uenv["product.product"].search([("sale_ok", "=", True)], limit=1)
lines = [(0, 0, {"product_id": product.id, "quantity": 3, "price_unit": 12.5,
                 "discount": 10})]
template = Order.create({
    "partner_id": partner.id,
    "order_type_id": ref("crm_order_management.order_type_recurring").id,
    "line_ids": lines,
    "recurrence_interval": 2,
    "recurrence_unit": "week",
    "recurrence_next_date": "2031-01-06",
    "recurrence_end_type": "count",
    "recurrence_count": 5,
})
done = Order.create({"partner_id": partner.id, "line_ids": lines})
for name in ("awaiting_payment", "awaiting_shipment", "awaiting_receipt",
             "completed"):
    done.action_set_status(status(name))
done.action_rate(4, "Quick delivery")
Tracking = uenv["crm.order.tracking"]
Tracking.create({"order_id": done.id, "kind": "call",
                 "summary": "Confirmed the delivery date"})
Tracking.create({"order_id": done.id, "kind": "delivery_check",
                 "summary": "Delivered at the reception desk"})
Tracking.create({"order_id": template.id, "kind": "email",
                 "summary": "Sent the schedule"})
cancelled = Order.create({"partner_id": partner.id, "line_ids": lines})
cancelled.action_set_status(
    status("cancelled"),
    cancel_reason_id=ref("crm_order_management.cancel_reason_price").id,
    cancel_note="Found it cheaper",
)
pair = Order.create([{"partner_id": partner.id, "line_ids": lines}] * 2)
env.flush_all()
duplicates = []
try:
    with env.cr.savepoint():
        env.cr.execute(
            "UPDATE crm_order SET name = 'UPG/DUP/0001' WHERE id IN %s",
            [tuple(pair.ids)],
        )
    duplicates = pair.ids
except Exception:
    pass
env.cr.commit()
print("FILLED=" + json.dumps({
    "template": template.id, "done": done.id, "cancelled": cancelled.id,
    "duplicates": duplicates,
}))
"""

# Run by both versions: what the upgrade must keep, read through the ORM (the
# order's recurrence_* fields are columns before, a model of their own after).
SNAPSHOT_SCRIPT = """
import json
def rows(model, fnames, domain=(), optional=()):
    Model = env[model].with_context(active_test=False)
    fnames = fnames + [name for name in optional if name in Model._fields]
    return Model.search(list(domain), order="id").read(fnames, load=None)
snapshot = {
    "orders": rows("crm.order", [
        "name", "partner_id", "date_order", "user_id", "team_id", "company_id",
        "order_type_id", "status_id", "status_category", "amount_undiscounted",
        "amount_untaxed", "amount_total", "date_confirmed", "date_done",
        "date_status", "rating", "rating_comment", "rating_date",
        "cancel_reason_id", "cancel_note", "opportunity_id", "origin_order_id",
        "recurrence_occurrence_date", "recurrence_interval", "recurrence_unit",
        "recurrence_next_date", "recurrence_end_type", "recurrence_end_date",
        "recurrence_count",
    ]),
    "lines": rows("crm.order.line", [
        "order_id", "sequence", "product_id", "name", "quantity",
        "product_uom_id", "price_unit", "discount", "price_subtotal",
    ]),
    "history": rows("crm.order.status.history", [
        "order_id", "status_from_id", "status_to_id", "user_id", "date",
        "duration_hours", "processing_hours",
    ], optional=["change_type", "trigger_ref"]),
    "tracking": rows("crm.order.tracking", [
        "order_id", "date", "user_id", "kind", "summary", "company_id",
    ]),
    "ratings": rows("rating.rating", [
        "res_model", "res_id", "rating", "feedback", "consumed", "partner_id",
        "rated_partner_id", "access_token",
    ], [("res_model", "=", "crm.order")]),
    "transitions": rows("crm.order.transition", [
        "from_status_id", "to_status_id", "group_ids", "order_type_ids", "active",
    ], optional=["manual", "automatic"]),
    "statuses": rows("crm.order.status", ["name", "category", "sequence"]),
    "types": rows("crm.order.type", ["name", "is_recurring", "sequence_id"]),
    "messages": dict(env["mail.message"]._read_group(
        [("model", "=", "crm.order")], ["res_id"], ["__count"])),
    "version": env["ir.module.module"].search(
        [("name", "=", "crm_order_management")]).latest_version,
}
if "crm.order.recurrence" in env:
    snapshot["recurrences"] = rows("crm.order.recurrence", [
        "order_id", "company_id", "repeat_interval", "repeat_unit", "next_date",
        "end_type", "end_date", "end_count",
    ])
    env.cr.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_name = 'crm_order' AND column_name LIKE 'recurrence%' "
        "ORDER BY 1")
    snapshot["recurrence_columns"] = [name for (name,) in env.cr.fetchall()]
print("SNAPSHOT=" + json.dumps(snapshot, default=str, sort_keys=True))
"""


def shell_output(process, db, script, key):
    proc = process.run("shell", "-d", db, "--no-http", stdin=script)
    assert proc.returncode == 0, proc.stderr[-3000:]
    prefix = f"{key}="
    lines = [line for line in proc.stdout.splitlines() if line.startswith(prefix)]
    assert lines, (
        f"no {key} in the output:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    )
    return json.loads(lines[-1][len(prefix) :])


@pytest.fixture
def previous_addons(tmp_path):
    """The previous release of the addon, extracted from git, and an Odoo
    configuration whose addons path puts it first."""
    commit = previous_release()
    archive = git("archive", "--format=tar", commit, MODULE, binary=True)
    assert archive, f"git archive {commit} {MODULE} failed"
    addons = tmp_path / "addons"
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        # extraction filters came with Python 3.11.4; Debian 12 has 3.11.2 (our own
        # repository's archive either way)
        safe = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
        tar.extractall(addons, **safe)
    assert (addons / MODULE / "__manifest__.py").exists()
    lines = []
    for line in ODOO_CONF.read_text().splitlines():
        if line.replace(" ", "").startswith("addons_path="):
            line = f"addons_path = {addons},{ODOO_SRC / 'addons'}"
        lines.append(line)
    conf = tmp_path / "odoo-previous.conf"
    conf.write_text("\n".join(lines) + "\n")
    return commit, conf


def test_upgrade_from_the_previous_release_keeps_the_data(
    request, previous_addons, scratch_db
):
    commit, previous_conf = previous_addons
    name = request.node.name
    previous = OdooProcess(f"{name}-previous", conf=previous_conf)
    proc = previous.run(
        "server", "-d", scratch_db, "-i", MODULE, "--stop-after-init", "--no-http"
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    filled = shell_output(previous, scratch_db, FILL_SCRIPT, "FILLED")
    before = shell_output(previous, scratch_db, SNAPSHOT_SCRIPT, "SNAPSHOT")
    assert before["version"] == PREVIOUS_VERSION, commit

    upgrade = OdooProcess(f"{name}-upgrade")
    proc = upgrade.run(
        "server", "-d", scratch_db, "-u", MODULE, "--stop-after-init", "--no-http"
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert upgrade.log_problems() == []
    after = shell_output(
        OdooProcess(f"{name}-after"), scratch_db, SNAPSHOT_SCRIPT, "SNAPSHOT"
    )

    # The demo data that 18.0.2.0.0 adds (the orders of the demo portal user's
    # company) comes with the upgrade: set apart, everything else is compared.
    before_ids = {order["id"] for order in before["orders"]}
    added = [order for order in after["orders"] if order["id"] not in before_ids]
    assert len(added) == 3, [order["name"] for order in added]
    added_ids = {order["id"] for order in added}
    after["orders"] = [o for o in after["orders"] if o["id"] not in added_ids]
    for section, key in (("lines", "order_id"), ("history", "order_id")):
        after[section] = [row for row in after[section] if row[key] not in added_ids]
    after["ratings"] = [r for r in after["ratings"] if r["res_id"] not in added_ids]
    after["messages"] = {
        res_id: count
        for res_id, count in after["messages"].items()
        if int(res_id) not in added_ids
    }

    # The version, and the columns 18.0.2.0.0 adds: the status changes of earlier
    # versions were made by users, their transitions by users only.
    assert after.pop("version") == "18.0.2.0.0"
    before.pop("version")
    if "change_type" not in before["history"][0]:
        for row in after["history"]:
            assert (row.pop("change_type"), row.pop("trigger_ref")) == ("user", False)
    # 18.0.2.0.0 adds one transition: the customers' confirmation of receipt
    known = {row["id"] for row in before["transitions"]}
    (added_transition,) = [t for t in after["transitions"] if t["id"] not in known]
    assert added_transition["manual"] is True and added_transition["group_ids"]
    after["transitions"] = [t for t in after["transitions"] if t["id"] in known]
    if "manual" not in before["transitions"][0]:
        for row in after["transitions"]:
            assert (row.pop("manual"), row.pop("automatic")) == (True, False)
    # The recurrence settings live in crm.order.recurrence, no more in crm_order.
    assert after.pop("recurrence_columns") == ["recurrence_occurrence_date"]
    # The one recurrence set in the previous release, and only that one.
    template = filled["template"]
    recurrences = after.pop("recurrences")
    for recurrence in recurrences:
        del recurrence["id"]
    assert recurrences == [
        {
            "order_id": template,
            "company_id": order_by_id(before, template)["company_id"],
            "repeat_interval": 2,
            "repeat_unit": "week",
            "next_date": "2031-01-06",
            "end_type": "count",
            "end_count": 5,
            "end_date": False,
        }
    ]
    # A duplicate number: the first order keeps it, the second gets its id.
    if filled["duplicates"]:
        first, second = filled["duplicates"]
        assert order_by_id(before, first)["name"] == "UPG/DUP/0001"
        assert order_by_id(after, first)["name"] == "UPG/DUP/0001"
        assert order_by_id(after, second)["name"] == f"UPG/DUP/0001-{second}"
        order_by_id(before, second)["name"] = f"UPG/DUP/0001-{second}"

    # Ratings that the previous release kept on the order only (given in the form
    # or over XML-RPC) are rating.rating records now, the order's source of truth.
    kept = {rating["id"] for rating in before["ratings"]}
    moved = [rating for rating in after["ratings"] if rating["id"] not in kept]
    after["ratings"] = [rating for rating in after["ratings"] if rating["id"] in kept]
    on_records = {
        (rating["res_id"], rating["rating"], rating["feedback"] or False)
        for rating in before["ratings"]
        if rating["consumed"]
    }
    expected = sorted(
        (order["id"], float(order["rating"]), order["rating_comment"] or False)
        for order in before["orders"]
        if order["rating"]
        and (order["id"], order["rating"], order["rating_comment"] or False)
        not in on_records
    )
    assert (filled["done"], 4.0, "Quick delivery") in expected
    assert (
        sorted(
            (rating["res_id"], rating["rating"], rating["feedback"] or False)
            for rating in moved
        )
        == expected
    )
    partner_of = {order["id"]: order["partner_id"] for order in before["orders"]}
    for rating in moved:
        assert rating["res_model"] == "crm.order"
        assert rating["consumed"] is True
        assert rating["partner_id"] == partner_of[rating["res_id"]]
        assert len(rating["access_token"]) == 32

    # Everything else is kept as it was: orders with their recurrence settings,
    # lines, history, tracking events, ratings and the configuration.
    assert len(before["orders"]) > 50  # the demo orders and the ones above
    assert order_by_id(after, template)["recurrence_count"] == 5
    assert order_by_id(after, filled["done"])["rating"] == 4
    assert order_by_id(after, filled["cancelled"])["cancel_note"] == "Found it cheaper"
    assert before["ratings"]
    assert len(before["tracking"]) >= 3
    for section in sorted(before):
        assert after[section] == before[section], section
    assert sorted(after) == sorted(before)


def order_by_id(snapshot, order_id):
    (order,) = [o for o in snapshot["orders"] if o["id"] == order_id]
    return order
