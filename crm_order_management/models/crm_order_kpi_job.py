# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from datetime import timedelta

from psycopg2.extensions import TransactionRollbackError

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from ..report import kpi_formulas as kpi
from ..report.crm_order_kpi import RECOMPUTE_BATCH
from ..tools import check_client_values, with_server_values

_logger = logging.getLogger(__name__)

JOB_STATES = [
    ("queued", "Queued"),
    ("running", "Running"),
    ("done", "Done"),
    ("failed", "Failed"),
]
OPEN_STATES = ("queued", "running")
CRON_XMLID = "crm_order_management.ir_cron_crm_order_kpi_job"
# When another computation holds the metrics' lock, the job is tried again after:
RETRY_DELAY = timedelta(minutes=1)


class CrmOrderKpiJob(models.Model):
    """A date range whose order metrics are recomputed in the background: one
    batch of RECOMPUTE_BATCH periods per call of the scheduled action, which
    commits between calls (never a commit in a method a client calls)."""

    _name = "crm.order.kpi.job"
    _description = "Order Metrics Recomputation"
    _order = "id desc"
    # Every field is the server's: crm.order.kpi.recompute_range() queues the
    # request, the scheduled action runs it.
    _crm_server_fields = (
        "date_from",
        "date_to",
        "granularities",
        "user_id",
        "state",
        "period_done",
        "snapshot_count",
        "date_started",
        "date_finished",
        "error",
    )

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    date_from = fields.Date(string="From", required=True, readonly=True)
    date_to = fields.Date(string="To", required=True, readonly=True)
    granularities = fields.Char(
        required=True,
        readonly=True,
        help="The kinds of periods recomputed: day, week and/or month.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Requested By",
        required=True,
        readonly=True,
        default=lambda self: self.env.user,
        ondelete="cascade",
    )
    state = fields.Selection(
        JOB_STATES,
        string="Status",
        required=True,
        readonly=True,
        default="queued",
        index=True,
    )
    period_count = fields.Integer(
        string="Periods",
        compute="_compute_period_count",
        store=True,
        readonly=True,
        help="Periods that overlap the dates, of every kind chosen.",
    )
    period_done = fields.Integer(string="Periods Done", readonly=True)
    progress = fields.Float(
        compute="_compute_progress", help="Periods done, in percent."
    )
    snapshot_count = fields.Integer(string="Snapshots Written", readonly=True)
    date_started = fields.Datetime(string="Started On", readonly=True)
    date_finished = fields.Datetime(string="Finished On", readonly=True)
    error = fields.Text(readonly=True, help="Why the recomputation failed.")

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends("date_from", "date_to", "granularities")
    def _compute_period_count(self):
        for job in self:
            job.period_count = len(job._periods())

    @api.depends("period_count", "period_done")
    def _compute_progress(self):
        for job in self:
            job.progress = (
                100.0 * job.period_done / job.period_count if job.period_count else 0.0
            )

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("date_from", "date_to", "granularities")
    def _check_range(self):
        for job in self:
            if job.date_from > job.date_to:
                raise ValidationError(
                    self.env._("Give a start date on or before the end date.")
                )
            names = job._granularity_list()
            if not names or set(names) - set(kpi.GRANULARITIES):
                raise ValidationError(
                    self.env._(
                        "Unknown granularity: %(names)s (day, week or month).",
                        names=job.granularities,
                    )
                )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        check_client_values(self, vals_list)
        return super().create(vals_list)

    def write(self, vals):
        check_client_values(self, [vals])
        return super().write(vals)

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _granularity_list(self):
        self.ensure_one()
        return [name for name in (self.granularities or "").split(",") if name]

    def _periods(self):
        """The ``(granularity, start)`` periods of the job, in the order they are
        computed."""
        self.ensure_one()
        if not (self.date_from and self.date_to):
            return []
        return self.env["crm.order.kpi"]._periods_in_range(
            self.date_from, self.date_to, self._granularity_list()
        )

    @api.model
    def _queue(self, date_from, date_to, granularities):
        """Queue the recomputation of a range (already checked by the caller) and
        trigger the scheduled action, which starts on it right away."""
        job = with_server_values(self.sudo()).create(
            {
                "date_from": date_from,
                "date_to": date_to,
                "granularities": ",".join(granularities),
                "user_id": self.env.uid,
            }
        )
        self.env.ref(CRON_XMLID)._trigger()
        return job.with_env(self.env)

    @api.model
    def _remaining_periods(self):
        [(count, done)] = self._read_group(
            [("state", "in", OPEN_STATES)],
            aggregates=["period_count:sum", "period_done:sum"],
        )
        return (count or 0) - (done or 0)

    @api.model
    def _cron_process_queue(self):
        """Scheduled action: one batch of periods of the oldest unfinished job per
        call. It reports how many periods it handled and how many remain over
        all the jobs, so that the cron runner commits and calls it again until
        the queue is empty. A job that fails is marked failed with the error
        and counted as handled: the next jobs go on."""
        Job = with_server_values(self.sudo())
        Job.flush_model()
        # The cron runner never runs a job twice at once; a manual run of the
        # scheduled action at the same time skips the job being run.
        self.env.cr.execute(
            SQL(
                "SELECT id FROM crm_order_kpi_job WHERE state IN %s "
                "ORDER BY id LIMIT 1 FOR NO KEY UPDATE SKIP LOCKED",
                OPEN_STATES,
            )
        )
        row = self.env.cr.fetchone()
        if not row:
            self.env["ir.cron"]._notify_progress(done=0, remaining=0)
            return 0
        done = Job.browse(row[0])._run_batch()
        self.env["ir.cron"]._notify_progress(
            done=done, remaining=self._remaining_periods()
        )
        return done

    def _run_batch(self):
        """Compute the job's next RECOMPUTE_BATCH periods; returns how many periods
        were handled (those computed, or all those left when the job failed; 0
        when another computation holds the metrics' lock: the job is tried again
        after RETRY_DELAY)."""
        self.ensure_one()
        try:
            with self.env.cr.savepoint():
                batch = self._periods()[
                    self.period_done : self.period_done + RECOMPUTE_BATCH
                ]
                written = self.env["crm.order.kpi"].sudo()._compute_snapshots(batch)
        except TransactionRollbackError as error:
            # A concurrent computation committed snapshots this transaction
            # cannot see: a new transaction, later, will.
            _logger.info("Order metrics job %s: %s; tried again later.", self.id, error)
            written = None
        except Exception as error:  # one failing job never blocks the queue
            _logger.exception("Order metrics job %s failed.", self.id)
            left = self.period_count - self.period_done
            self.write(
                {
                    "state": "failed",
                    "error": str(error) or repr(error),
                    "date_started": self.date_started or fields.Datetime.now(),
                    "date_finished": fields.Datetime.now(),
                }
            )
            return left
        if written is None:
            self.env.ref(CRON_XMLID)._trigger(fields.Datetime.now() + RETRY_DELAY)
            return 0
        period_done = self.period_done + len(batch)
        finished = period_done >= self.period_count
        self.write(
            {
                "state": "done" if finished else "running",
                "period_done": period_done,
                "snapshot_count": self.snapshot_count + written,
                "date_started": self.date_started or fields.Datetime.now(),
                "date_finished": fields.Datetime.now() if finished else False,
            }
        )
        return len(batch)
