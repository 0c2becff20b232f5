"""Orders driven over XML-RPC by a salesperson, as an outside system would: the same
rules as in the web UI, refusals as Faults that change nothing."""

import xmlrpc.client

import pytest
from conftest import create_order, make_user


@pytest.fixture(scope="module")
def product_id(admin):
    return admin(
        "product.product", "create", {"name": "XML-RPC widget", "list_price": 12.5}
    )


@pytest.fixture
def order_id(salesperson, admin, product_id):
    return create_order(salesperson, admin, product_id, quantity=4)


def read_order(client, order_id):
    (order,) = client(
        "crm.order",
        "read",
        [order_id],
        fields=["name", "status_id", "amount_total", "order_type_id", "user_id"],
    )
    return order


def test_salesperson_creates_an_order_in_one_call(salesperson, order_id):
    order = read_order(salesperson, order_id)
    assert order["status_id"][1] == "Draft"
    assert order["order_type_id"][1] == "New Customer"
    assert order["name"].startswith("NEW/")
    assert order["amount_total"] == 50.0  # 4 x 12.5
    assert order["user_id"][0] == salesperson.uid


def test_allowed_transitions_and_moving_along_them(salesperson, admin, order_id):
    allowed = salesperson("crm.order", "get_allowed_transitions", [order_id])
    assert [(s["name"], s["category"]) for s in allowed] == [
        ("Awaiting Payment", "open"),
        ("Cancelled", "cancel"),
    ]
    salesperson("crm.order", "action_set_status", [order_id], allowed[0]["id"])
    assert read_order(salesperson, order_id)["status_id"][1] == "Awaiting Payment"
    history = salesperson(
        "crm.order.status.history",
        "search_read",
        [("order_id", "=", order_id)],
        fields=["status_from_id", "status_to_id", "user_id"],
        order="id",
    )
    assert [
        (h["status_from_id"] and h["status_from_id"][1], h["status_to_id"][1])
        for h in history
    ] == [(False, "Draft"), ("Draft", "Awaiting Payment")]
    assert {h["user_id"][0] for h in history} == {salesperson.uid}


def test_forbidden_transition_is_a_fault_and_changes_nothing(
    salesperson, admin, order_id
):
    completed = admin.ref("crm_order_management.order_status_completed")
    with pytest.raises(xmlrpc.client.Fault) as fault:
        salesperson("crm.order", "write", [order_id], {"status_id": completed})
    message = fault.value.faultString
    assert "cannot move from Draft to Completed" in message
    assert "Allowed next statuses: Awaiting Payment, Cancelled." in message
    assert read_order(admin, order_id)["status_id"][1] == "Draft"
    assert (
        admin("crm.order.status.history", "search_count", [("order_id", "=", order_id)])
        == 1
    )


def test_salesperson_cannot_reopen_a_cancelled_order(salesperson, admin, order_id):
    cancelled = admin.ref("crm_order_management.order_status_cancelled")
    draft = admin.ref("crm_order_management.order_status_draft")
    reason = admin.ref("crm_order_management.cancel_reason_price")
    salesperson(
        "crm.order",
        "write",
        [order_id],
        {"status_id": cancelled, "cancel_reason_id": reason},
    )
    assert salesperson("crm.order", "get_allowed_transitions", [order_id]) == []
    with pytest.raises(xmlrpc.client.Fault) as fault:
        salesperson("crm.order", "write", [order_id], {"status_id": draft})
    assert "Allowed next statuses: none." in fault.value.faultString
    # The manager (admin) may.
    allowed = admin("crm.order", "get_allowed_transitions", [order_id])
    assert [s["name"] for s in allowed] == ["Draft"]
    admin("crm.order", "write", [order_id], {"status_id": draft})
    assert read_order(admin, order_id)["status_id"][1] == "Draft"
    # Reopened: the reason is cleared (the chatter keeps it).
    (row,) = admin("crm.order", "read", [order_id], fields=["cancel_reason_id"])
    assert row["cancel_reason_id"] is False


def test_cancelling_without_a_reason_is_refused(salesperson, admin, order_id):
    cancelled = admin.ref("crm_order_management.order_status_cancelled")
    fields = ["status_id", "cancel_reason_id", "cancel_note", "write_date"]
    (before,) = admin("crm.order", "read", [order_id], fields=fields)
    for attempt in (
        ("write", [order_id], {"status_id": cancelled, "cancel_note": "No reason"}),
        ("action_set_status", [order_id], cancelled),
    ):
        with pytest.raises(xmlrpc.client.Fault) as fault:
            salesperson("crm.order", *attempt)
        assert "Give a cancel reason" in fault.value.faultString
    (after,) = admin("crm.order", "read", [order_id], fields=fields)
    assert after == before
    assert after["status_id"][1] == "Draft"
    assert (
        admin("crm.order.status.history", "search_count", [("order_id", "=", order_id)])
        == 1
    )
    reason = admin.ref("crm_order_management.cancel_reason_other")
    salesperson(
        "crm.order",
        "action_set_status",
        [order_id],
        cancelled,
        cancel_reason_id=reason,
        cancel_note="Shop closed",
    )
    (row,) = admin("crm.order", "read", [order_id], fields=fields)
    assert row["status_id"][1] == "Cancelled"
    assert row["cancel_reason_id"][1] == "Other"
    assert row["cancel_note"] == "Shop closed"


def test_salesperson_cannot_read_another_salespersons_order(
    salesperson, admin, odoo_server, order_id
):
    other = make_user(admin, odoo_server)
    with pytest.raises(xmlrpc.client.Fault) as fault:
        other("crm.order", "read", [order_id], fields=["name"])
    assert "doesn't have 'read' access to" in fault.value.faultString
    assert "Customer Order (crm.order)" in fault.value.faultString
    assert other("crm.order", "search_count", [("id", "=", order_id)]) == 0


def test_server_dates_cannot_be_written_over_xmlrpc(salesperson, order_id):
    with pytest.raises(xmlrpc.client.Fault) as fault:
        salesperson(
            "crm.order", "write", [order_id], {"date_done": "2020-01-01 00:00:00"}
        )
    assert "cannot be written" in fault.value.faultString
