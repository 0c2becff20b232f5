"""Two first orders of a new customer at the same time: exactly one is the new
customer's. In two real database transactions, the second waits for the first and
then fails with a serialization error (which Odoo retries); through the real server,
concurrent XML-RPC calls all succeed, and one order only is a *New Customer* order."""

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import psycopg2
import pytest
from conftest import TEST_DB, Client

from odoo import SUPERUSER_ID, api
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


@pytest.fixture
def customer_id():
    registry = Registry(TEST_DB)
    with registry.cursor() as cr:  # commits when leaving the block
        env = api.Environment(cr, SUPERUSER_ID, {})
        partner_id = env["res.partner"].create({"name": f"Fresh {uuid.uuid4()}"}).id
    yield partner_id
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        env["crm.order"].search([("partner_id", "=", partner_id)]).unlink()
        env["res.partner"].browse(partner_id).unlink()


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
