"""Two runs of the recurring orders' scheduled action at the same time, in two real
database transactions: the second skips the template the first one is generating
(``FOR UPDATE SKIP LOCKED``) instead of duplicating its orders or failing."""

from datetime import timedelta

import pytest
from conftest import TEST_DB

from odoo import SUPERUSER_ID, api, fields
from odoo.modules.registry import Registry


def run_cron(cr):
    # Should the lock ever wait, make it a failure, not a hang.
    cr.execute("SET LOCAL statement_timeout = '20s'")
    env = api.Environment(cr, SUPERUSER_ID, {})
    return env["crm.order"]._cron_generate_recurring_orders()


def generated_dates(cr, template_id):
    cr.execute(
        "SELECT recurrence_occurrence_date FROM crm_order WHERE origin_order_id = %s "
        "ORDER BY 1",
        [template_id],
    )
    return [day for (day,) in cr.fetchall()]


@pytest.fixture
def template_id():
    registry = Registry(TEST_DB)
    with registry.cursor() as cr:  # commits when leaving the block
        env = api.Environment(cr, SUPERUSER_ID, {})
        today = fields.Date.context_today(env["crm.order"])
        partner = env["res.partner"].create({"name": "Recurrence Concurrency"})
        template = env["crm.order"].create(
            {
                "partner_id": partner.id,
                "order_type_id": env.ref(
                    "crm_order_management.order_type_recurring"
                ).id,
                "recurrence_unit": "day",
                "recurrence_next_date": today - timedelta(days=2),
            }
        )
        ids = (template.id, partner.id)
    yield ids[0]
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        orders = env["crm.order"].search([("origin_order_id", "=", ids[0])])
        (orders | env["crm.order"].browse(ids[0])).unlink()
        env["res.partner"].browse(ids[1]).unlink()


@pytest.fixture
def cursors(template_id):
    registry = Registry(TEST_DB)
    cr_a, cr_b = registry.cursor(), registry.cursor()
    yield cr_a, cr_b
    for cr in (cr_a, cr_b):
        cr.rollback()
        cr.close()


def test_second_run_skips_the_template_locked_by_the_first(template_id, cursors):
    cr_a, cr_b = cursors
    assert run_cron(cr_a) == 3  # not committed: A holds the template's lock
    assert run_cron(cr_b) == 0  # skipped, no error
    cr_b.commit()
    cr_a.commit()

    assert len(generated_dates(cr_a, template_id)) == 3
    assert run_cron(cr_b) == 0  # a later run: nothing is due any more
    cr_b.commit()
    cr_a.rollback()
    assert len(generated_dates(cr_a, template_id)) == 3


def test_run_after_a_rolled_back_run_generates_the_occurrences(template_id, cursors):
    cr_a, cr_b = cursors
    assert run_cron(cr_a) == 3
    cr_a.rollback()  # the lock goes with the transaction
    assert run_cron(cr_b) == 3
    cr_b.commit()
    cr_a.rollback()
    assert len(generated_dates(cr_a, template_id)) == 3
