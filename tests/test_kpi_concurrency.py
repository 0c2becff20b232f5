"""Two computations of the order metrics at the same time, in two real database
transactions: the second one is skipped while the first holds the lock, and a run
after it leaves exactly one snapshot per key. A queued recomputation (a job of the
scheduled action) that meets the lock waits and is tried again a minute later."""

from datetime import date, timedelta

import psycopg2.errors
import pytest
from conftest import TEST_DB

from odoo import SUPERUSER_ID, api, fields
from odoo.modules.registry import Registry

# A period far from any data, so that only these tests write its snapshots.
PERIOD = ("day", date(2001, 1, 1))
# What the second run rewrites: the moment of the computation.
MOMENT_COLUMNS = {"computed_at", "write_date", "write_uid"}

DUPLICATE_KEYS_SQL = """
    SELECT count(*) FROM (
        SELECT 1 FROM crm_order_kpi
         GROUP BY company_id, granularity, date_start, COALESCE(order_type_id, 0)
        HAVING count(*) > 1
    ) AS duplicates
"""


def period_rows(cr):
    """The snapshots of PERIOD, by key, without the moment of computation."""
    cr.execute(
        "SELECT * FROM crm_order_kpi WHERE granularity = %s AND date_start = %s",
        PERIOD,
    )
    return {
        (row["company_id"], row["order_type_id"]): {
            column: value
            for column, value in row.items()
            if column not in MOMENT_COLUMNS
        }
        for row in cr.dictfetchall()
    }


def compute(cr):
    # Should the lock ever be missing, B would wait for A's rows forever: make
    # that a failure, not a hang (SET LOCAL ends with the transaction).
    cr.execute("SET LOCAL statement_timeout = '20s'")
    env = api.Environment(cr, SUPERUSER_ID, {})
    return env["crm.order.kpi"]._compute_snapshots([PERIOD])


@pytest.fixture
def registry():
    registry = Registry(TEST_DB)
    with registry.cursor() as cr:
        assert period_rows(cr) == {}, "snapshots of the test period already exist"
    yield registry
    with registry.cursor() as cr:  # commits when leaving the block
        cr.execute(
            "DELETE FROM crm_order_kpi WHERE granularity = %s AND date_start = %s",
            PERIOD,
        )


@pytest.fixture
def cursors(registry):
    cr_a, cr_b = registry.cursor(), registry.cursor()
    yield cr_a, cr_b
    for cr in (cr_a, cr_b):
        cr.rollback()
        cr.close()


def test_run_is_skipped_while_another_holds_the_lock(cursors):
    cr_a, cr_b = cursors
    written = compute(cr_a)  # not committed: A holds the lock
    assert written > 0
    assert len(period_rows(cr_a)) == written

    assert compute(cr_b) is None
    cr_b.commit()  # whatever the skipped run did is committed...
    cr_a.rollback()
    assert period_rows(cr_a) == {}  # ...and it wrote nothing


def test_run_after_the_lock_is_released_leaves_one_snapshot_per_key(cursors):
    cr_a, cr_b = cursors
    written = compute(cr_a)
    assert compute(cr_b) is None
    cr_b.rollback()  # the skipped run ends its transaction: it changed nothing
    cr_a.commit()
    first = period_rows(cr_a)
    assert len(first) == written

    assert compute(cr_b) == written
    cr_b.commit()

    cr_a.rollback()  # A's next reads see B's commit
    cr_a.execute(DUPLICATE_KEYS_SQL)
    assert cr_a.fetchone()[0] == 0
    second = period_rows(cr_a)
    assert second == first  # same ids, same values


def test_the_lock_is_released_at_rollback(cursors):
    cr_a, cr_b = cursors
    assert compute(cr_a) > 0
    cr_a.rollback()
    assert compute(cr_b) > 0
    cr_b.rollback()


def test_run_in_a_transaction_older_than_the_other_commit_fails_without_duplicates(
    cursors,
):
    # B's transaction (REPEATABLE READ) started before A committed: its upsert
    # meets rows it cannot see and PostgreSQL refuses it (Odoo's RPC layer
    # retries such a request in a new transaction); nothing is duplicated.
    cr_a, cr_b = cursors
    written = compute(cr_a)
    assert compute(cr_b) is None
    cr_a.commit()
    first = period_rows(cr_a)
    with pytest.raises(psycopg2.errors.SerializationFailure):
        compute(cr_b)
    cr_b.rollback()
    cr_a.rollback()
    cr_a.execute(DUPLICATE_KEYS_SQL)
    assert cr_a.fetchone()[0] == 0
    assert period_rows(cr_a) == first
    assert len(first) == written


def test_queued_job_waits_while_another_run_holds_the_lock(cursors):
    cr_a, cr_b = cursors
    assert compute(cr_a) > 0  # not committed: A holds the lock
    cr_b.execute("SET LOCAL statement_timeout = '20s'")
    env = api.Environment(cr_b, SUPERUSER_ID, {})
    Job = env["crm.order.kpi.job"]
    assert not Job.search([("state", "in", ["queued", "running"])])
    cron = env.ref("crm_order_management.ir_cron_crm_order_kpi_job")
    Trigger = env["ir.cron.trigger"]
    triggers = Trigger.search([("cron_id", "=", cron.id)])
    # 2001-01-01 to 2001-03-31 in days: 31 + 28 + 31 = 90 periods, one job
    job = Job._queue(date(2001, 1, 1), date(2001, 3, 31), ["day"])
    before = fields.Datetime.now()

    assert Job._cron_process_queue() == 0  # nothing handled: the lock is taken
    assert (job.state, job.period_count, job.period_done) == ("queued", 90, 0)
    new = Trigger.search([("cron_id", "=", cron.id)]) - triggers
    # the one of _queue (now), and the retry a minute later
    retry = new.filtered(lambda t: t.call_at > fields.Datetime.now())
    assert len(new) == 2 and len(retry) == 1
    assert before + timedelta(minutes=1) <= retry.call_at
    assert retry.call_at <= fields.Datetime.now() + timedelta(minutes=1)
    cr_b.rollback()
    cr_a.rollback()
