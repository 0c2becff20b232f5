"""Order metrics, tracking events and ratings over XML-RPC: who may recompute and
read the snapshots, that nobody edits them, and what a salesperson logs and rates.
Refusals are Faults that change nothing."""

import xmlrpc.client

import pytest
from conftest import TEST_DB, create_order, make_user

from odoo.modules.registry import Registry

# A day far from any data: only these tests write its snapshots (removed after).
DAY = "2001-02-01"
SNAPSHOT_DOMAIN = [("granularity", "=", "day"), ("date_start", "=", DAY)]


@pytest.fixture(scope="module")
def manager(admin, odoo_server):
    return make_user(admin, odoo_server, "sales_team.group_sale_manager")


@pytest.fixture(scope="module")
def all_documents_user(admin, odoo_server):
    return make_user(admin, odoo_server, "sales_team.group_sale_salesman_all_leads")


@pytest.fixture(scope="module")
def snapshot_ids(manager):
    """The snapshots of DAY, recomputed by the manager; deleted afterwards
    (nobody may delete them over XML-RPC)."""
    written = manager("crm.order.kpi", "recompute_range", DAY, DAY, ["day"])
    ids = manager("crm.order.kpi", "search", SNAPSHOT_DOMAIN)
    yield written, ids
    with Registry(TEST_DB).cursor() as cr:  # commits when leaving the block
        cr.execute(
            "DELETE FROM crm_order_kpi WHERE granularity = 'day' AND date_start = %s",
            [DAY],
        )


@pytest.fixture(scope="module")
def product_id(admin):
    return admin(
        "product.product", "create", {"name": "XML-RPC KPI widget", "list_price": 8.0}
    )


@pytest.fixture
def order_id(salesperson, admin, product_id):
    return create_order(salesperson, admin, product_id, quantity=2)


def complete(client, admin, order_id):
    """Move the order to completed along the main chain, as ``client``."""
    for xmlid in (
        "order_status_awaiting_payment",
        "order_status_awaiting_shipment",
        "order_status_awaiting_receipt",
        "order_status_completed",
    ):
        status_id = admin.ref(f"crm_order_management.{xmlid}")
        client("crm.order", "action_set_status", [order_id], status_id)


def read_rating(client, order_id):
    (order,) = client(
        "crm.order",
        "read",
        [order_id],
        fields=["rating", "rating_comment", "rating_date", "status_category"],
    )
    return order


# ------------------------------------------------------------
# Snapshots
# ------------------------------------------------------------


def test_manager_recomputes_and_reads_snapshots(manager, snapshot_ids):
    written, ids = snapshot_ids
    # one snapshot per company and type, all types included, for the one day
    assert written >= 5
    assert len(ids) >= 5
    rows = manager(
        "crm.order.kpi",
        "search_read",
        SNAPSHOT_DOMAIN + [("order_type_id", "=", False)],
        fields=["order_count", "success_rate", "metric_o", "metric_o_reason"],
    )
    assert rows
    for row in rows:
        # no data in 2001: undefined figures are empty (False), with a reason
        assert row["order_count"] == 0
        assert row["success_rate"] is False
        assert row["metric_o"] is False
        assert row["metric_o_reason"] == "no_final_orders"


def test_salesperson_cannot_read_snapshots(salesperson, snapshot_ids):
    _written, ids = snapshot_ids
    with pytest.raises(xmlrpc.client.Fault) as fault:
        salesperson("crm.order.kpi", "read", ids[:1], fields=["order_count"])
    assert "crm.order.kpi" in fault.value.faultString
    with pytest.raises(xmlrpc.client.Fault):
        salesperson("crm.order.kpi", "search_read", SNAPSHOT_DOMAIN)


def test_salesperson_cannot_recompute(salesperson, snapshot_ids):
    with pytest.raises(xmlrpc.client.Fault) as fault:
        salesperson("crm.order.kpi", "recompute_range", DAY, DAY, ["day"])
    assert "Only sales managers can recompute order metrics." in (
        fault.value.faultString
    )


def test_all_documents_user_reads_but_cannot_recompute(
    all_documents_user, snapshot_ids
):
    _written, ids = snapshot_ids
    rows = all_documents_user(
        "crm.order.kpi", "read", ids[:1], fields=["order_count", "granularity"]
    )
    assert rows[0]["granularity"] == "day"
    with pytest.raises(xmlrpc.client.Fault) as fault:
        all_documents_user("crm.order.kpi", "recompute_range", DAY, DAY, ["day"])
    assert "Only sales managers" in fault.value.faultString


@pytest.mark.parametrize("who", ["manager", "admin"])
def test_nobody_writes_or_deletes_a_snapshot(who, request, snapshot_ids):
    client = request.getfixturevalue(who)
    _written, ids = snapshot_ids
    with pytest.raises(xmlrpc.client.Fault):
        client("crm.order.kpi", "write", ids[:1], {"order_count": 99})
    with pytest.raises(xmlrpc.client.Fault):
        client("crm.order.kpi", "unlink", ids[:1])
    with pytest.raises(xmlrpc.client.Fault):
        client(
            "crm.order.kpi",
            "create",
            {"granularity": "day", "date_start": DAY, "date_end": DAY},
        )
    (row,) = client("crm.order.kpi", "read", ids[:1], fields=["order_count"])
    assert row["order_count"] == 0


# ------------------------------------------------------------
# Tracking events and ratings
# ------------------------------------------------------------


def test_salesperson_logs_a_tracking_event(salesperson, order_id):
    event_id = salesperson(
        "crm.order.tracking",
        "create",
        {"order_id": order_id, "kind": "call", "summary": "Confirmed the address"},
    )
    (event,) = salesperson(
        "crm.order.tracking",
        "read",
        [event_id],
        fields=["order_id", "user_id", "kind", "summary"],
    )
    assert event["order_id"][0] == order_id
    assert event["user_id"][0] == salesperson.uid
    assert (event["kind"], event["summary"]) == ("call", "Confirmed the address")
    (order,) = salesperson("crm.order", "read", [order_id], fields=["tracking_count"])
    assert order["tracking_count"] == 1


def test_logging_an_event_for_another_user_is_a_fault(salesperson, admin, order_id):
    with pytest.raises(xmlrpc.client.Fault) as fault:
        salesperson(
            "crm.order.tracking",
            "create",
            {"order_id": order_id, "user_id": admin.uid},
        )
    assert "Logged By (user_id)" in fault.value.faultString
    assert (
        admin("crm.order.tracking", "search_count", [("order_id", "=", order_id)]) == 0
    )


def test_salesperson_rates_a_completed_order(salesperson, admin, order_id):
    complete(salesperson, admin, order_id)
    assert salesperson("crm.order", "action_rate", [order_id], 4, "On time") is True
    order = read_rating(salesperson, order_id)
    assert (order["rating"], order["rating_comment"]) == (4, "On time")
    assert order["rating_date"]


def test_rating_a_non_completed_order_is_a_fault_and_changes_nothing(
    salesperson, order_id
):
    with pytest.raises(xmlrpc.client.Fault) as fault:
        salesperson("crm.order", "action_rate", [order_id], 5, "Too early")
    assert "Only completed orders can be rated" in fault.value.faultString
    order = read_rating(salesperson, order_id)
    assert order["status_category"] == "draft"
    assert (order["rating"], order["rating_comment"], order["rating_date"]) == (
        0,
        False,
        False,
    )


def test_rating_out_of_range_is_a_fault(salesperson, admin, order_id):
    complete(salesperson, admin, order_id)
    with pytest.raises(xmlrpc.client.Fault) as fault:
        salesperson("crm.order", "action_rate", [order_id], 6)
    assert "A rating is a whole number from 1 to 5" in fault.value.faultString
    assert read_rating(salesperson, order_id)["rating"] == 0
