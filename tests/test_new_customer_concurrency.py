"""Two first orders of a new customer at the same time: exactly one is the new
customer's. In two real database transactions, the second waits for the first and
then fails with a serialization error (which Odoo retries); through the real server,
concurrent XML-RPC calls all succeed, and one order only is a *New Customer* order.
The same holds when a draft order is given to the customer, and when a cancelled first
order is reopened while another first order is being created."""

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import psycopg2
import pytest
from conftest import TEST_DB, Client

from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError
from odoo.modules.registry import Registry


def create_order(cr, partner_id):
    # Should the lock never be released, make it a failure, not a hang.
    cr.execute("SET LOCAL statement_timeout = '20s'")
    env = api.Environment(cr, SUPERUSER_ID, {})
    order = env["crm.order"].create({"partner_id": partner_id})
    return order.order_type_id.name


def order_types(cr, partner_id):
    cr.execute(
        "SELECT t.name->>'en_US' FROM crm_order o "
        "JOIN crm_order_type t ON t.id = o.order_type_id "
        "WHERE o.partner_id = %s ORDER BY o.id",
        [partner_id],
    )
    return [name for (name,) in cr.fetchall()]


def fresh_customer():
    """A new customer, committed; its orders and itself are deleted afterwards."""
    registry = Registry(TEST_DB)
    with registry.cursor() as cr:  # commits when leaving the block
        env = api.Environment(cr, SUPERUSER_ID, {})
        partner_id = env["res.partner"].create({"name": f"Fresh {uuid.uuid4()}"}).id
    yield partner_id
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        env["crm.order"].search([("partner_id", "=", partner_id)]).unlink()
        env["res.partner"].browse(partner_id).unlink()


@pytest.fixture
def customer_id():
    yield from fresh_customer()


@pytest.fixture
def other_customer_id():
    yield from fresh_customer()


def committed(function, *args):
    """Run ``function(cr, *args)`` in a transaction of its own, committed."""
    with Registry(TEST_DB).cursor() as cr:
        return function(cr, *args)


def create_cancelled_order(cr, partner_id):
    env = api.Environment(cr, SUPERUSER_ID, {})
    order = env["crm.order"].create({"partner_id": partner_id})
    order.action_set_status(
        env.ref("crm_order_management.order_status_cancelled").id,
        cancel_reason_id=env.ref("crm_order_management.cancel_reason_customer").id,
    )
    return order.id


def create_order_id(cr, partner_id):
    env = api.Environment(cr, SUPERUSER_ID, {})
    return env["crm.order"].create({"partner_id": partner_id}).id


def change_customer(cr, order_id, partner_id):
    cr.execute("SET LOCAL statement_timeout = '20s'")
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["crm.order"].browse(order_id).write({"partner_id": partner_id})


def reopen(cr, order_id):
    cr.execute("SET LOCAL statement_timeout = '20s'")
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["crm.order"].browse(order_id).action_set_status(
        env.ref("crm_order_management.order_status_draft").id
    )


def waits_then_fails(call, cr_first, cr_second):
    """``call(cr_second)`` in a thread while ``cr_first`` holds its locks: it must
    wait for it, then fail with the serialization error that Odoo retries."""
    outcome = {}

    def second():
        try:
            call(cr_second)
        except psycopg2.errors.SerializationFailure as error:
            outcome["error"] = error

    thread = threading.Thread(target=second)
    thread.start()
    thread.join(timeout=2)
    assert thread.is_alive()  # the second transaction waits for the first
    cr_first.commit()
    thread.join(timeout=20)
    assert not thread.is_alive()
    assert "error" in outcome, outcome  # it must start again, as Odoo does
    cr_second.rollback()


def test_second_first_order_waits_then_is_retried_as_returning(customer_id):
    registry = Registry(TEST_DB)
    cr_a, cr_b = registry.cursor(), registry.cursor()
    try:
        assert create_order(cr_a, customer_id) == "New Customer"  # A holds the lock
        outcome = {}

        def second():
            try:
                outcome["type"] = create_order(cr_b, customer_id)
            except psycopg2.errors.SerializationFailure as error:
                outcome["error"] = error

        thread = threading.Thread(target=second)
        thread.start()
        thread.join(timeout=2)
        assert thread.is_alive()  # B waits for A
        cr_a.commit()
        thread.join(timeout=20)
        assert not thread.is_alive()
        assert "error" in outcome, outcome  # B must start again, as Odoo does
        cr_b.rollback()
        assert create_order(cr_b, customer_id) == "Returning Customer"
        cr_b.commit()
        assert order_types(cr_a, customer_id) == ["New Customer", "Returning Customer"]
    finally:
        for cr in (cr_a, cr_b):
            cr.rollback()
            cr.close()


def test_concurrent_xmlrpc_first_orders_give_one_new_customer_order(
    odoo_server, salesperson, admin, customer_id
):
    clients = [
        Client(odoo_server, salesperson.login, salesperson.password) for _ in range(4)
    ]
    start = threading.Barrier(len(clients))

    def create(client):
        start.wait(timeout=20)
        return client("crm.order", "create", {"partner_id": customer_id})

    with ThreadPoolExecutor(len(clients)) as pool:
        ids = list(pool.map(create, clients))
    assert len(set(ids)) == 4
    rows = admin(
        "crm.order",
        "search_read",
        [("partner_id", "=", customer_id)],
        fields=["order_type_id"],
    )
    names = sorted(row["order_type_id"][1] for row in rows)
    assert names == ["New Customer"] + ["Returning Customer"] * 3


def test_first_order_given_to_a_draft_makes_a_concurrent_one_returning(
    customer_id, other_customer_id
):
    # a draft first order of another customer, given to the customer in A while B
    # creates the customer's first order
    order_id = committed(create_order_id, other_customer_id)
    registry = Registry(TEST_DB)
    cr_a, cr_b = registry.cursor(), registry.cursor()
    try:
        change_customer(cr_a, order_id, customer_id)
        waits_then_fails(lambda cr: create_order(cr, customer_id), cr_a, cr_b)
        assert create_order(cr_b, customer_id) == "Returning Customer"
        cr_b.commit()
        assert order_types(cr_a, customer_id) == ["New Customer", "Returning Customer"]
    finally:
        for cr in (cr_a, cr_b):
            cr.rollback()
            cr.close()


def test_cancelled_first_order_is_not_reopened_beside_a_concurrent_one(customer_id):
    # the customer's first order was cancelled; B creates another first order while
    # A reopens the cancelled one
    cancelled_id = committed(create_cancelled_order, customer_id)
    registry = Registry(TEST_DB)
    cr_a, cr_b = registry.cursor(), registry.cursor()
    try:
        assert create_order(cr_b, customer_id) == "New Customer"
        waits_then_fails(lambda cr: reopen(cr, cancelled_id), cr_b, cr_a)
        # on retry, A sees B's order: the reopening is refused
        with pytest.raises(UserError, match="cannot be reopened"):
            reopen(cr_a, cancelled_id)
        cr_a.rollback()
        assert order_types(cr_a, customer_id) == ["New Customer", "New Customer"]
        cr_a.execute(
            "SELECT status_category FROM crm_order WHERE id = %s", [cancelled_id]
        )
        assert cr_a.fetchone() == ("cancel",)
    finally:
        for cr in (cr_a, cr_b):
            cr.rollback()
            cr.close()
