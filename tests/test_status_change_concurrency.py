"""Two transactions moving the same order: the second waits for the first, then
fails with a serialization error that Odoo retries, raised by the engine's quiet lock
(no "bad query" in the log); through the real server, concurrent XML-RPC calls moving
the same orders all succeed, each order moves once, and the server logs no error."""

import logging
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import psycopg2
import pytest
from conftest import TEST_DB, Client

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry

PAYMENT = "crm_order_management.order_status_awaiting_payment"


def move(cr, order_id):
    # Should the lock never be released, make it a failure, not a hang.
    cr.execute("SET LOCAL statement_timeout = '20s'")
    env = api.Environment(cr, SUPERUSER_ID, {})
    order = env["crm.order"].browse(order_id)
    order.action_set_status(env.ref(PAYMENT).id)
    env.flush_all()
    return order.status_id.name


def history(cr, order_id):
    cr.execute(
        "SELECT s.name->>'en_US' FROM crm_order_status_history h "
        "JOIN crm_order_status s ON s.id = h.status_to_id "
        "WHERE h.order_id = %s ORDER BY h.id",
        [order_id],
    )
    return [name for (name,) in cr.fetchall()]


@pytest.fixture
def order_ids():
    registry = Registry(TEST_DB)
    with registry.cursor() as cr:  # commits when leaving the block
        env = api.Environment(cr, SUPERUSER_ID, {})
        partner = env["res.partner"].create({"name": f"Queue {uuid.uuid4()}"})
        product = env["product.product"].create({"name": "Queue Chair"})
        orders = env["crm.order"].create(
            [
                {
                    "partner_id": partner.id,
                    "line_ids": [(0, 0, {"product_id": product.id, "quantity": 1})],
                }
                for _ in range(3)
            ]
        )
        ids = orders.ids
    yield ids
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        # the history import mode: back to draft, then deleted
        orders = env["crm.order"].with_context(crm_order_import=True).browse(ids)
        partner = orders.partner_id
        product = orders.line_ids.product_id
        orders.write(
            {"status_id": env.ref("crm_order_management.order_status_draft").id}
        )
        orders.unlink()
        partner.unlink()
        product.unlink()


def test_second_change_waits_then_fails_quietly(order_ids, caplog):
    registry = Registry(TEST_DB)
    cr_a, cr_b = registry.cursor(), registry.cursor()
    order_id = order_ids[0]
    try:
        assert move(cr_a, order_id) == "Awaiting Payment"  # A holds the lock
        outcome = {}

        def second():
            try:
                outcome["status"] = move(cr_b, order_id)
            except psycopg2.errors.SerializationFailure as error:
                outcome["error"] = error

        with caplog.at_level(logging.ERROR, logger="odoo.sql_db"):
            thread = threading.Thread(target=second)
            thread.start()
            thread.join(timeout=2)
            assert thread.is_alive()  # B waits for A
            cr_a.commit()
            thread.join(timeout=20)
        assert not thread.is_alive()
        assert "error" in outcome, outcome  # B must start again, as Odoo does
        assert [r for r in caplog.records if "bad query" in r.getMessage()] == []
        cr_b.rollback()
        # retried: the order is already there, nothing more happens
        assert move(cr_b, order_id) == "Awaiting Payment"
        cr_b.commit()
        assert history(cr_a, order_id) == ["Draft", "Awaiting Payment"]
    finally:
        for cr in (cr_a, cr_b):
            cr.rollback()
            cr.close()


def test_concurrent_xmlrpc_moves_of_the_same_orders(odoo_server, admin, order_ids):
    clients = [Client(odoo_server, "admin", "admin") for _ in range(4)]
    payment_id = admin("ir.model.data", "check_object_reference", *PAYMENT.split("."))[
        1
    ]
    start = threading.Barrier(len(clients))
    problems_before = len(odoo_server["log"].log_problems())

    def run(client):
        start.wait(timeout=20)
        return client("crm.order", "action_set_status", order_ids, payment_id)

    with ThreadPoolExecutor(len(clients)) as pool:
        assert list(pool.map(run, clients)) == [True] * len(clients)
    registry = Registry(TEST_DB)
    with registry.cursor() as cr:
        for order_id in order_ids:
            assert history(cr, order_id) == ["Draft", "Awaiting Payment"]
    assert odoo_server["log"].log_problems()[problems_before:] == []
