# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Recomputing the metrics of a date range: a range of at most one batch of
periods at once in the caller's transaction, a larger one queued as a job of the
scheduled action, computed one batch per call (the cron runner commits between
calls)."""

from datetime import date

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from odoo.addons.crm_order_management.report.crm_order_kpi import RECOMPUTE_BATCH

from .test_crm_order_integrity import CrmOrderXmlrpcCase
from .test_crm_order_kpi import SNAPSHOT_FIELDS, CrmOrderKpiScenarioCommon

JOB_LOGGER = "odoo.addons.crm_order_management.models.crm_order_kpi_job"
CRON_XMLID = "crm_order_management.ir_cron_crm_order_kpi_job"

# 2024-02-01 (Thursday) to 2024-04-30 (Tuesday), every granularity:
# days: 29 (February 2024, a leap year) + 31 + 30 = 90;
# weeks: Monday 01-29 (the week of 02-01) to Monday 04-29: 91 days apart → 14;
# months: February, March, April → 3. 107 periods: a batch of 62 (the first 62
# days), then one of 45 (28 days, 14 weeks, 3 months).
WIDE_FROM, WIDE_TO, WIDE_PERIODS = "2024-02-01", "2024-04-30", 107


def keys_per_period(env):
    """Snapshots of one period: every company, for all types and each type the
    company can use."""
    types = env["crm.order.type"].search([])
    return sum(
        1 + len(types.filtered(lambda t, c=c: t.company_id in (c, c.browse())))
        for c in env["res.company"].search([])
    )


class CrmOrderKpiJobCommon(CrmOrderKpiScenarioCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cron = cls.env.ref(CRON_XMLID)
        cls.Job = cls.env["crm.order.kpi.job"]

    def _keys_per_period(self):
        return keys_per_period(self.env)

    def _job_triggers(self):
        return self.env["ir.cron.trigger"].search([("cron_id", "=", self.cron.id)])

    def _run_cron_once(self):
        """One call of the scheduled action, as the cron runner makes it (the
        superuser, a progress record in the context); returns (done,
        remaining) as it reported them."""
        cron, progress = self.cron._add_progress()
        self.env["crm.order.kpi.job"].with_context(
            ir_cron_progress_id=progress.id
        )._cron_process_queue()
        return progress.done, progress.remaining

    def _k_values(self):
        """The snapshots of KPI Scenario Co, by key, with their ids."""
        return {
            (s.granularity, s.date_start, s.order_type_id.id): (
                s.id,
                s.read(SNAPSHOT_FIELDS)[0],
            )
            for s in self._k_snapshots()
        }


@tagged("post_install", "-at_install")
class TestCrmOrderKpiJob(CrmOrderKpiJobCommon):
    # ------------------------------------------------------------
    # AT ONCE OR QUEUED
    # ------------------------------------------------------------

    def test_range_of_one_batch_is_computed_at_once_and_nothing_queued(self):
        # 2024-01-01 to 2024-03-02, days: 31 + 29 + 2 = 62 = RECOMPUTE_BATCH.
        self.assertEqual(RECOMPUTE_BATCH, 62)
        triggers = self._job_triggers()
        written = self._kpi_as_manager().recompute_range(
            "2024-01-01", "2024-03-02", ["day"]
        )
        self.assertEqual(written, 62 * self._keys_per_period())
        self.assertEqual(
            len(self._k_snapshots()), 62 * (1 + len(self._types_of_company_k()))
        )
        self.assertFalse(self.Job.search([]))
        self.assertEqual(self._job_triggers(), triggers)

    def test_range_of_one_period_more_is_queued(self):
        # 2024-01-01 to 2024-03-03, days: 63.
        result = self._kpi_as_manager().recompute_range(
            "2024-01-01", "2024-03-03", ["day"]
        )
        job = self.Job.search([])
        self.assertEqual(result, {"job_id": job.id, "period_count": 63})
        self.assertFalse(self._k_snapshots())

    def test_large_range_is_queued_without_writing_snapshots(self):
        triggers = self._job_triggers()
        before = fields.Datetime.now()
        result = self._kpi_as_manager().recompute_range(WIDE_FROM, WIDE_TO)
        job = self.Job.browse(result["job_id"])
        self.assertEqual(result, {"job_id": job.id, "period_count": WIDE_PERIODS})
        self.assertRecordValues(
            job,
            [
                {
                    "date_from": date(2024, 2, 1),
                    "date_to": date(2024, 4, 30),
                    "granularities": "day,week,month",
                    "user_id": self.kpi_manager.id,
                    "state": "queued",
                    "period_count": WIDE_PERIODS,
                    "period_done": 0,
                    "progress": 0.0,
                    "snapshot_count": 0,
                    "date_started": False,
                    "date_finished": False,
                    "error": False,
                }
            ],
        )
        self.assertFalse(self._k_snapshots())
        # The scheduled action is triggered to start on it right away.
        trigger = self._job_triggers() - triggers
        self.assertEqual(len(trigger), 1)
        self.assertLessEqual(before, trigger.call_at)
        self.assertLessEqual(trigger.call_at, fields.Datetime.now())

    def test_granularities_are_kept_in_their_usual_order(self):
        result = self._kpi_as_manager().recompute_range(
            WIDE_FROM, WIDE_TO, ["month", "day", "month"]
        )
        job = self.Job.browse(result["job_id"])
        # 90 days and 3 months
        self.assertEqual((job.granularities, job.period_count), ("day,month", 93))

    # ------------------------------------------------------------
    # THE SCHEDULED ACTION
    # ------------------------------------------------------------

    def test_queued_job_computes_the_same_snapshots_as_a_direct_computation(self):
        job = self.Job.browse(
            self._kpi_as_manager().recompute_range(WIDE_FROM, WIDE_TO)["job_id"]
        )
        keys = self._keys_per_period()

        self.assertEqual(self._run_cron_once(), (62, 45))
        self.assertRecordValues(
            job,
            [
                {
                    "state": "running",
                    "period_done": 62,
                    "snapshot_count": 62 * keys,
                    "date_finished": False,
                }
            ],
        )
        self.assertAlmostEqual(job.progress, 100 * 62 / 107, places=6)
        self.assertTrue(job.date_started)
        # the first 62 days (02-01 to 04-02): no week or month yet
        k_types = 1 + len(self._types_of_company_k())
        self.assertEqual(len(self._k_snapshots()), 62 * k_types)

        self.assertEqual(self._run_cron_once(), (45, 0))
        self.assertRecordValues(
            job,
            [
                {
                    "state": "done",
                    "period_done": WIDE_PERIODS,
                    "progress": 100.0,
                    "snapshot_count": WIDE_PERIODS * keys,
                }
            ],
        )
        self.assertTrue(job.date_finished)
        # The queue is empty: a further call does nothing.
        self.assertEqual(self._run_cron_once(), (0, 0))

        queued = self._k_values()
        self.assertEqual(len(queued), WIDE_PERIODS * k_types)
        # The figures worked out by hand (TestCrmOrderKpiScenario).
        _id, march = queued[("month", date(2024, 3, 1), False)]
        self.assertAlmostEqual(march["metric_o"], 6.75, places=6)
        self.assertAlmostEqual(march["metric_e"], 5 / 43, places=6)

        direct = self.env["crm.order.kpi"]._compute_snapshots(
            self.env["crm.order.kpi"]._periods_in_range(
                date(2024, 2, 1), date(2024, 4, 30), ["day", "week", "month"]
            )
        )
        self.assertEqual(direct, WIDE_PERIODS * keys)
        self.assertEqual(self._k_values(), queued)

    def test_jobs_run_oldest_first_one_batch_per_call(self):
        # A: 2024-01-01 to 2024-03-03 in days (63 periods); B: March in months (1
        # period, computed at once) is not a job; C: 2024-05-01 to 2024-07-31 in
        # days (31 + 30 + 31 = 92).
        Kpi = self._kpi_as_manager()
        job_a = self.Job.browse(
            Kpi.recompute_range("2024-01-01", "2024-03-03", ["day"])["job_id"]
        )
        Kpi.recompute_range("2024-03-01", "2024-03-31", ["month"])
        job_c = self.Job.browse(
            Kpi.recompute_range("2024-05-01", "2024-07-31", ["day"])["job_id"]
        )
        self.assertEqual(self._run_cron_once(), (62, 1 + 92))
        self.assertEqual(self._run_cron_once(), (1, 92))
        self.assertEqual((job_a.state, job_c.state), ("done", "queued"))
        self.assertEqual(self._run_cron_once(), (62, 30))
        self.assertEqual(self._run_cron_once(), (30, 0))
        self.assertEqual((job_a.state, job_c.state), ("done", "done"))
        self.assertEqual(
            (job_a.snapshot_count, job_c.snapshot_count),
            (63 * self._keys_per_period(), 92 * self._keys_per_period()),
        )

    def test_failed_job_is_marked_failed_and_the_next_job_runs(self):
        Kpi = self._kpi_as_manager()
        failing = self.Job.browse(Kpi.recompute_range(WIDE_FROM, WIDE_TO)["job_id"])
        # 2024-03-01 to 2024-05-02 in days: 31 + 30 + 2 = 63 periods.
        following = self.Job.browse(
            Kpi.recompute_range("2024-03-01", "2024-05-02", ["day"])["job_id"]
        )
        # A row damaged outside the ORM (the constraints refuse "year"): computing
        # its periods fails.
        self.Job.flush_model()
        self.env.cr.execute(
            "UPDATE crm_order_kpi_job SET granularities = 'day,year' WHERE id = %s",
            [failing.id],
        )
        self.Job.invalidate_model()

        with mute_logger(JOB_LOGGER):
            # the failed job's 107 periods are handled: the runner goes on
            self.assertEqual(self._run_cron_once(), (WIDE_PERIODS, 63))
        self.assertRecordValues(
            failing,
            [
                {
                    "state": "failed",
                    "period_done": 0,
                    "snapshot_count": 0,
                    "error": "unknown granularity 'year'",
                }
            ],
        )
        self.assertTrue(failing.date_finished)
        self.assertEqual(following.state, "queued")
        self.assertFalse(self._k_snapshots())

        self.assertEqual(self._run_cron_once(), (62, 1))
        self.assertEqual(self._run_cron_once(), (1, 0))
        self.assertEqual(following.state, "done")
        self.assertEqual(failing.state, "failed")
        # Only the following job's days were written: none in February.
        snapshots = self._k_snapshots()
        self.assertEqual(set(snapshots.mapped("granularity")), {"day"})
        self.assertEqual(min(snapshots.mapped("date_start")), date(2024, 3, 1))
        self.assertEqual(max(snapshots.mapped("date_start")), date(2024, 5, 2))

    def test_cron_runner_calls_the_action_until_the_queue_is_empty(self):
        # Odoo's cron runner (ir.cron._process_job) calls the action again, after
        # a commit, while it reports periods remaining (at most 10 calls a run).
        wide = self.Job.browse(
            self._kpi_as_manager().recompute_range(WIDE_FROM, WIDE_TO)["job_id"]
        )
        # 2024-05-01 to 2024-07-02 in days: 31 + 30 + 2 = 63 periods
        days = self.Job.browse(
            self._kpi_as_manager().recompute_range("2024-05-01", "2024-07-02", ["day"])[
                "job_id"
            ]
        )
        self.env.flush_all()
        job = {
            **self.cron.read(load=None)[0],
            "progress_id": False,
            "done": 0,
            "remaining": 0,
            "timed_out_counter": 0,
        }
        self.registry.enter_test_mode(self.cr)
        try:
            with self.registry.cursor() as cron_cr:
                self.registry["ir.cron"]._process_job(
                    self.registry.db_name, cron_cr, job
                )
        finally:
            self.registry.leave_test_mode()
        self.env.invalidate_all()
        progress = self.env["ir.cron.progress"].search(
            [("cron_id", "=", self.cron.id)], order="id"
        )
        self.assertEqual(
            [(p.done, p.remaining) for p in progress],
            [(62, 45 + 63), (45, 63), (62, 1), (1, 0)],
        )
        self.assertEqual((wide.state, days.state), ("done", "done"))
        self.assertEqual(self.cron.failure_count, 0)
        self.assertEqual(
            len(self._k_snapshots()),
            (WIDE_PERIODS + 63) * (1 + len(self._types_of_company_k())),
        )

    # ------------------------------------------------------------
    # ACCESS
    # ------------------------------------------------------------

    def test_non_managers_cannot_queue_or_read_jobs(self):
        job = self.Job.browse(
            self._kpi_as_manager().recompute_range(WIDE_FROM, WIDE_TO)["job_id"]
        )
        for user in (self.ann, self.kpi_salesman_all):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self.env["crm.order.kpi"].with_user(user).recompute_range(
                        WIDE_FROM, WIDE_TO
                    )
                with self.assertRaises(AccessError):
                    job.with_user(user).read(["state"])
        self.assertEqual(self.Job.search([]), job)

    def test_managers_read_jobs_but_write_create_or_delete_none(self):
        job = self.Job.browse(
            self._kpi_as_manager().recompute_range(WIDE_FROM, WIDE_TO)["job_id"]
        ).with_user(self.kpi_manager)
        self.assertEqual(job.read(["state"])[0]["state"], "queued")
        # Every field of a job is the server's: writing one is refused with its
        # name before the access rights are even checked.
        with self.assertRaisesRegex(UserError, r"set by the server.*\(state\)"):
            job.write({"state": "done"})
        with self.assertRaisesRegex(UserError, r"set by the server.*\(date_from\)"):
            self.Job.with_user(self.kpi_manager).create(
                {"date_from": WIDE_FROM, "date_to": WIDE_TO, "granularities": "day"}
            )
        with self.assertRaises(AccessError):
            job.unlink()
        self.assertEqual(job.state, "queued")

    def test_state_and_progress_are_the_servers_even_with_sudo(self):
        job = self.Job.browse(
            self._kpi_as_manager().recompute_range(WIDE_FROM, WIDE_TO)["job_id"]
        )
        for vals in ({"state": "done"}, {"period_done": 107}, {"error": "x"}):
            with self.subTest(vals=vals):
                with self.assertRaisesRegex(UserError, "set by the server"):
                    job.sudo().write(vals)
        with self.assertRaisesRegex(UserError, "set by the server"):
            self.Job.sudo().create(
                {"date_from": WIDE_FROM, "date_to": WIDE_TO, "granularities": "day"}
            )
        self.assertRecordValues(job, [{"state": "queued", "period_done": 0}])

    # ------------------------------------------------------------
    # THE WIZARD
    # ------------------------------------------------------------

    def _wizard_action(self, date_from, date_to, day=True, week=True, month=True):
        wizard = Form(self.env["crm.order.kpi.recompute"].with_user(self.kpi_manager))
        wizard.date_from = date_from
        wizard.date_to = date_to
        wizard.granularity_day = day
        wizard.granularity_week = week
        wizard.granularity_month = month
        return wizard.save().action_recompute()

    def test_wizard_says_a_small_range_is_recomputed(self):
        # March: 31 days, 5 weeks, 1 month → 37 periods.
        action = self._wizard_action(date(2024, 3, 1), date(2024, 3, 31))
        params = action["params"]
        self.assertEqual(params["type"], "success")
        self.assertEqual(
            params["message"],
            f"{37 * self._keys_per_period()} snapshots recomputed.",
        )
        self.assertEqual(
            params["next"]["domain"],
            [
                ("granularity", "in", ["day", "week", "month"]),
                ("date_end", ">=", date(2024, 3, 1)),
                ("date_start", "<=", date(2024, 3, 31)),
            ],
        )
        # opened like the menu: the months, all types together
        self.assertEqual(
            params["next"]["context"],
            {"search_default_all_types": 1, "search_default_granularity_month": 1},
        )
        self.assertFalse(self.Job.search([]))

    def test_wizard_without_months_opens_on_the_coarsest_recomputed(self):
        action = self._wizard_action(date(2024, 3, 1), date(2024, 3, 31), month=False)
        self.assertEqual(
            action["params"]["next"]["context"],
            {"search_default_all_types": 1, "search_default_granularity_week": 1},
        )
        action = self._wizard_action(
            date(2024, 3, 1), date(2024, 3, 31), week=False, month=False
        )
        self.assertEqual(
            action["params"]["next"]["context"],
            {"search_default_all_types": 1, "search_default_granularity_day": 1},
        )

    def test_wizard_says_a_large_range_is_queued(self):
        action = self._wizard_action(date(2024, 2, 1), date(2024, 4, 30), week=False)
        params = action["params"]
        self.assertEqual(params["type"], "info")
        # 90 days and 3 months
        self.assertEqual(
            params["message"],
            "Recomputation of 93 periods queued: the scheduled action computes "
            "them in the background (Reporting > Metrics Recomputations shows its "
            "progress).",
        )
        self.assertEqual(
            params["next"]["res_model"], "crm.order.kpi", "the metrics open"
        )
        self.assertEqual(
            params["next"]["domain"],
            [
                ("granularity", "in", ["day", "month"]),
                ("date_end", ">=", date(2024, 2, 1)),
                ("date_start", "<=", date(2024, 4, 30)),
            ],
        )
        self.assertEqual(
            params["next"]["context"],
            {"search_default_all_types": 1, "search_default_granularity_month": 1},
        )
        job = self.Job.search([])
        self.assertEqual((job.state, job.period_count), ("queued", 93))
        self.assertFalse(self._k_snapshots())

    # ------------------------------------------------------------
    # HELPERS
    # ------------------------------------------------------------

    def _kpi_as_manager(self):
        return self.env["crm.order.kpi"].with_user(self.kpi_manager)


@tagged("post_install", "-at_install")
class TestCrmOrderKpiJobXmlrpc(CrmOrderXmlrpcCase):
    """The contract over XML-RPC: what recompute_range returns, who may queue and
    see jobs, and that nobody writes them."""

    def test_range_of_one_day_returns_the_snapshots_written(self):
        # 2001: no data; one snapshot per company and type for the day.
        written = self.rpc(
            self.manager,
            "crm.order.kpi",
            "recompute_range",
            "2001-02-01",
            "2001-02-01",
            ["day"],
        )
        self.assertEqual(written, keys_per_period(self.env))
        self.assertFalse(self.env["crm.order.kpi.job"].search([]))

    def test_large_range_returns_the_queued_job(self):
        result = self.rpc(
            self.manager, "crm.order.kpi", "recompute_range", WIDE_FROM, WIDE_TO
        )
        job = self.env["crm.order.kpi.job"].search([])
        self.assertEqual(result, {"job_id": job.id, "period_count": WIDE_PERIODS})
        rows = self.rpc(
            self.manager,
            "crm.order.kpi.job",
            "search_read",
            [],
            fields=["state", "period_count", "period_done", "user_id"],
        )
        self.assertEqual(
            rows,
            [
                {
                    "id": job.id,
                    "state": "queued",
                    "period_count": WIDE_PERIODS,
                    "period_done": 0,
                    "user_id": [self.manager.id, self.manager.name],
                }
            ],
        )
        self.assertFalse(
            self.env["crm.order.kpi"].search(
                [("date_start", ">=", WIDE_FROM), ("date_start", "<=", WIDE_TO)]
            )
        )

    def test_non_managers_cannot_queue_or_see_jobs(self):
        self.rpc(self.manager, "crm.order.kpi", "recompute_range", WIDE_FROM, WIDE_TO)
        job = self.env["crm.order.kpi.job"].search([])
        for user in (self.salesman, self.salesman_all):
            with self.subTest(user=user.login):
                self.assertRefused(
                    "Only sales managers can recompute order metrics.",
                    user,
                    "crm.order.kpi",
                    "recompute_range",
                    WIDE_FROM,
                    WIDE_TO,
                )
                self.assertRefused(
                    "crm.order.kpi.job", user, "crm.order.kpi.job", "search_read", []
                )
                self.assertRefused(
                    "crm.order.kpi.job",
                    user,
                    "crm.order.kpi.job",
                    "read",
                    job.ids,
                    ["state"],
                )
        self.assertEqual(self.env["crm.order.kpi.job"].search([]), job)

    def test_nobody_writes_creates_or_deletes_a_job(self):
        self.rpc(self.manager, "crm.order.kpi", "recompute_range", WIDE_FROM, WIDE_TO)
        job = self.env["crm.order.kpi.job"].search([])
        for vals in ({"state": "done"}, {"period_done": 107}, {"error": "Hidden"}):
            with self.subTest(vals=vals):
                self.assertRefused(
                    "are set by the server and cannot be written",
                    self.manager,
                    "crm.order.kpi.job",
                    "write",
                    job.ids,
                    vals,
                )
        self.assertRefused(
            "are set by the server and cannot be written",
            self.manager,
            "crm.order.kpi.job",
            "create",
            {"date_from": WIDE_FROM, "date_to": WIDE_TO, "granularities": "day"},
        )
        self.assertRefused(
            "crm.order.kpi.job", self.manager, "crm.order.kpi.job", "unlink", job.ids
        )
        self.assertRecordValues(
            job, [{"state": "queued", "period_done": 0, "error": False}]
        )
        self.assertEqual(self.env["crm.order.kpi.job"].search([]), job)
