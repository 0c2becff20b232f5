# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from collections import defaultdict
from datetime import datetime, time, timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL
from odoo.tools.sql import create_unique_index

from ..tools import DATE_MAX, DATE_MIN, NullableFloat
from . import kpi_formulas as kpi

_logger = logging.getLogger(__name__)

GRANULARITY_SELECTION = [("day", "Day"), ("week", "Week"), ("month", "Month")]
REASONS = [
    (kpi.NO_FINAL_ORDERS, "No order reached a final status in the period"),
    (kpi.NO_PROCESSORS, "No user moved an order to another status in the period"),
    (kpi.NO_COMPLETED_ORDERS, "No order was completed in the period"),
    (kpi.NO_TRACKERS, "No tracking event was logged in the period"),
    (kpi.R_UNDEFINED, "R is undefined"),
    (kpi.T_UNDEFINED, "T is undefined"),
    (kpi.T_ZERO, "T is zero"),
    (kpi.NO_RATINGS, "No order was rated in the period"),
]
# Periods computed in one transaction: recompute_range() computes a range of at
# most this many periods at once and queues a larger one (crm.order.kpi.job), which
# the scheduled action computes one batch per call, the cron runner committing
# between calls.
RECOMPUTE_BATCH = 62
# Up to this many periods (the daily run has six), the input queries join the rows
# to the periods by range; more are looked up by key (see _in_periods).
RANGE_JOIN_PERIODS = 8
LOCK_KEY = "crm_order_kpi"
# Days before today whose rows changed, and when (see _install_change_triggers).
CHANGE_TABLE = "crm_order_kpi_change"
NOW_UTC = "(now() AT TIME ZONE 'UTC')"
TODAY_UTC = f"{NOW_UTC}::date"
# The rows the metrics read, noted by row triggers: (name, table, the day a row
# counts on as SQL over the OLD or NEW ``row``, the columns that feed the metrics
# from that day). An order counts on its date (orders, customers, products) and on
# the day it was rated (ratings): a rating given today to an order of last month
# changes no day of last month.
ROW_CHANGE_SOURCES = (
    (
        "crm_order_date",
        "crm_order",
        "{row}.date_order::date",
        ("date_order", "company_id", "order_type_id", "commercial_partner_id"),
    ),
    (
        "crm_order_rating",
        "crm_order",
        "{row}.rating_date::date",
        ("rating_date", "rating", "company_id", "order_type_id"),
    ),
    (
        "crm_order_status_history",
        "crm_order_status_history",
        "{row}.date::date",
        (
            "date",
            "order_id",
            "company_id",
            "order_type_id",
            "status_from_id",
            "status_to_id",
            "user_id",
            "change_type",
            "processing_hours",
        ),
    ),
    (
        "crm_order_tracking",
        "crm_order_tracking",
        "{row}.date::date",
        ("date", "order_id", "company_id", "order_type_id", "user_id"),
    ),
)
# A line counts on its order's date: its triggers work by statement, on the rows
# the statement wrote (an order's lines are inserted by one statement).
LINE_COLUMNS = ("order_id", "product_id")
# A period is settled once computed at least this long after its end: long after
# the last transaction that began within it committed (see _settled_periods).
SETTLED_AFTER = timedelta(days=1)


class CrmOrderKpi(models.Model):
    _name = "crm.order.kpi"
    _description = "Order Metrics Snapshot"
    _order = "date_start desc, granularity, company_id, order_type_id"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    granularity = fields.Selection(GRANULARITY_SELECTION, required=True, readonly=True)
    date_start = fields.Date(string="Period Start", required=True, readonly=True)
    date_end = fields.Date(
        string="Period End",
        required=True,
        readonly=True,
        help="Last day of the period (included).",
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    order_type_id = fields.Many2one(
        "crm.order.type",
        readonly=True,
        ondelete="cascade",
        help="Empty: all order types together.",
    )
    order_type_label = fields.Char(
        string="Order Type Shown",
        compute="_compute_order_type_label",
        help="The order type, or 'All types' on the snapshot of all types together.",
    )
    # Inputs (the README, "Order metrics")
    customer_count = fields.Integer(
        string="Customers (C)",
        readonly=True,
        aggregator=False,
        help="Distinct customers (commercial entities) with an order dated in the "
        "period.",
    )
    product_count = fields.Integer(
        string="Products (P)",
        readonly=True,
        aggregator=False,
        help="Distinct products and services on the lines of those orders.",
    )
    completed_count = fields.Integer(
        string="Completed Orders",
        readonly=True,
        help="Orders that reached a done status in the period.",
    )
    cancelled_count = fields.Integer(
        string="Cancelled Orders",
        readonly=True,
        help="Orders that reached a cancelled status in the period.",
    )
    success_rate = NullableFloat(
        string="Success Rate (S)",
        readonly=True,
        digits=(16, 4),
        aggregator="avg",
        help="Completed / (completed + cancelled), from 0 to 1; empty when no order "
        "reached a final status in the period.",
    )
    order_count = fields.Integer(
        string="Orders (O actual)",
        readonly=True,
        help="Orders dated in the period, counted.",
    )
    processor_count = fields.Integer(
        string="Processing Staff (N)",
        readonly=True,
        aggregator=False,
        help="Distinct users who moved an order from one status to another in the "
        "period.",
    )
    processing_hours = NullableFloat(
        string="Avg. Processing Hours (Tp)",
        readonly=True,
        digits=(16, 2),
        aggregator="avg",
        help="Average hours from an order leaving draft to reaching done, over the "
        "orders completed in the period.",
    )
    tracker_count = fields.Integer(
        string="Tracking Staff (M)",
        readonly=True,
        aggregator=False,
        help="Distinct users who logged a tracking event in the period.",
    )
    tracking_event_count = fields.Integer(string="Tracking Events", readonly=True)
    tracked_order_count = fields.Integer(
        string="Tracked Orders", readonly=True, aggregator=False
    )
    tracking_avg = NullableFloat(
        string="Avg. Events per Tracked Order (Rp)",
        readonly=True,
        digits=(16, 4),
        aggregator="avg",
        help="Tracking events of the period / orders with a tracking event in the "
        "period.",
    )
    rated_count = fields.Integer(string="Rated Orders", readonly=True)
    rating_avg = NullableFloat(
        string="Avg. Rating (Ep)",
        readonly=True,
        digits=(16, 4),
        aggregator="avg",
        help="Average customer rating (1 to 5) of the orders rated in the period.",
    )
    # Results
    metric_o = NullableFloat(
        string="O = C×P×S",
        readonly=True,
        digits=(16, 4),
        aggregator="avg",
        help="Order generation: customers × products × success rate.",
    )
    metric_o_reason = fields.Selection(REASONS, string="O Undefined", readonly=True)
    metric_t = NullableFloat(
        string="T = O/N×Tp",
        readonly=True,
        digits=(16, 4),
        aggregator="avg",
        help="Processing: orders / processing staff × average processing hours.",
    )
    metric_t_reason = fields.Selection(REASONS, string="T Undefined", readonly=True)
    metric_r = NullableFloat(
        string="R = O/M×Rp",
        readonly=True,
        digits=(16, 4),
        aggregator="avg",
        help="Tracking: orders / tracking staff × average events per tracked order.",
    )
    metric_r_reason = fields.Selection(REASONS, string="R Undefined", readonly=True)
    metric_e = NullableFloat(
        string="E = R/T×Ep",
        readonly=True,
        digits=(16, 4),
        aggregator="avg",
        help="Evaluation: R / T × average rating.",
    )
    metric_e_reason = fields.Selection(REASONS, string="E Undefined", readonly=True)
    computed_at = fields.Datetime(string="Computed On", readonly=True)

    def init(self):
        # One snapshot per (company, granularity, period start, type), "all types"
        # (no type) included: NULL would not be equal to NULL in a plain constraint.
        create_unique_index(
            self.env.cr,
            "crm_order_kpi_snapshot_key_uniq",
            self._table,
            ["company_id", "granularity", "date_start", "COALESCE(order_type_id, 0)"],
        )
        self._install_change_triggers()

    @staticmethod
    def _change_triggers():
        """(trigger, table, function) of everything _install_change_triggers
        creates."""
        rows = [
            (f"{name}_kpi_{event}", table, f"{name}_kpi_mark_change")
            for name, table, _day, _columns in ROW_CHANGE_SOURCES
            for event in ("update", "delete")
        ]
        inserts = [
            (f"{table}_kpi_insert", table, f"{table}_kpi_mark_insert")
            for table in dict.fromkeys(
                table for _name, table, _day, _columns in ROW_CHANGE_SOURCES
            )
        ]
        lines = [
            (f"crm_order_line_kpi_{event}", "crm_order_line", "crm_order_line_kpi_mark")
            for event in ("insert", "update", "delete")
        ]
        status = [
            (
                "crm_order_status_kpi_update",
                "crm_order_status",
                "crm_order_status_kpi_mark",
            )
        ]
        return rows + inserts + lines + status

    def _drop_change_triggers(self):
        """Remove what _install_change_triggers created (module uninstall)."""
        cr = self.env.cr
        for trigger, table, _function in self._change_triggers():
            cr.execute(
                SQL(
                    "DROP TRIGGER IF EXISTS %s ON %s",
                    SQL.identifier(trigger),
                    SQL.identifier(table),
                )
            )
        for function in dict.fromkeys(f for _t, _table, f in self._change_triggers()):
            cr.execute(SQL("DROP FUNCTION IF EXISTS %s()", SQL.identifier(function)))
        cr.execute(SQL("DROP TABLE IF EXISTS %s", SQL.identifier(CHANGE_TABLE)))

    def _install_change_triggers(self):
        """Note the days whose metric inputs changed after the day was over.

        The daily run recomputes the previous day, week and month only while they
        may still change (see _settled_periods): a settled period changes only
        when a row dated in it is created, changed or deleted afterwards (an
        import, an edited date, a changed rating, a deleted order). Triggers on
        the tables the metrics read note the days of such rows, old and new, in
        CHANGE_TABLE with the time the writing transaction began, whoever writes
        them: the ORM, its recomputations of stored fields (an order's type,
        carried by its history), raw SQL of other modules, cascaded deletes. A
        status whose category changes (which the ORM refuses once it is used)
        notes every day the daily run looks at, as does each installation or
        upgrade of the addon: changes made while the triggers were not there,
        or by code that changed, are counted again.

        Rows of today (every order being created) are not noted: today's periods
        are recomputed anyway. Changes and deletions are noted by row triggers
        filtered by their WHEN clause, so that other writes never call them;
        insertions by statement triggers, once for all the rows a statement
        inserts (an import, an order's lines). A day already noted at the same
        time or later is not noted again: an import of a million backdated
        rows notes each of its days once."""
        cr = self.env.cr
        table = SQL.identifier(CHANGE_TABLE)
        cr.execute(
            SQL(
                "CREATE TABLE IF NOT EXISTS %s "
                "(day date NOT NULL, changed_at timestamp NOT NULL); "
                "CREATE INDEX IF NOT EXISTS %s ON %s (day, changed_at)",
                table,
                SQL.identifier(f"{CHANGE_TABLE}_day_index"),
                table,
            )
        )

        # the days of ``source`` (SQL giving one date column) before today,
        # unless noted already by a transaction begun at the same time or later
        def note_days(source):
            return SQL(
                "INSERT INTO %s (day, changed_at) "
                "SELECT DISTINCT v.day, %s FROM (%s) AS v(day) "
                "WHERE v.day < %s AND NOT EXISTS (SELECT 1 FROM %s c "
                "WHERE c.day = v.day AND c.changed_at >= %s);",
                table,
                SQL(NOW_UTC),
                source,
                SQL(TODAY_UTC),
                table,
                SQL(NOW_UTC),
            )

        def function(name, body):
            cr.execute(
                SQL(
                    "CREATE OR REPLACE FUNCTION %s() RETURNS trigger "
                    "LANGUAGE plpgsql AS $$ BEGIN %s RETURN NULL; END $$",
                    SQL.identifier(name),
                    body,
                )
            )

        def trigger(name, table_name, event, timing, function_name):
            trigger_name = SQL.identifier(name)
            cr.execute(
                SQL(
                    "DROP TRIGGER IF EXISTS %s ON %s; "
                    "CREATE TRIGGER %s AFTER %s ON %s %s EXECUTE FUNCTION %s()",
                    trigger_name,
                    SQL.identifier(table_name),
                    trigger_name,
                    SQL(event),
                    SQL.identifier(table_name),
                    timing,
                    SQL.identifier(function_name),
                )
            )

        def changed(old, new, columns):
            return SQL(
                "(%s) IS DISTINCT FROM (%s)",
                SQL(", ").join(SQL(f"{old}.{column}") for column in columns),
                SQL(", ").join(SQL(f"{new}.{column}") for column in columns),
            )

        # Orders, status changes, follow-ups changed or deleted: by row,
        # filtered. Inserted: by statement, on the rows it inserted (one call
        # for a whole import, whatever its dates).
        inserted_days = defaultdict(list)
        for name, table_name, day, columns in ROW_CHANGE_SOURCES:
            old_day, new_day = (SQL(day.format(row=row)) for row in ("OLD", "NEW"))
            inserted_days[table_name].append(SQL(day.format(row="r")))
            function(
                f"{name}_kpi_mark_change",
                SQL(
                    "%s IF TG_OP = 'UPDATE' THEN %s END IF;",
                    note_days(SQL("VALUES (%s)", old_day)),
                    note_days(SQL("VALUES (%s)", new_day)),
                ),
            )
            old_past = SQL("%s < %s", old_day, SQL(TODAY_UTC))
            new_past = SQL("%s < %s", new_day, SQL(TODAY_UTC))
            for event, condition in (
                (
                    "UPDATE",
                    SQL(
                        "%s AND (%s OR %s)",
                        changed("OLD", "NEW", columns),
                        old_past,
                        new_past,
                    ),
                ),
                ("DELETE", old_past),
            ):
                trigger(
                    f"{name}_kpi_{event.lower()}",
                    table_name,
                    event,
                    SQL("FOR EACH ROW WHEN (%s)", condition),
                    f"{name}_kpi_mark_change",
                )
        for table_name, days in inserted_days.items():
            function(
                f"{table_name}_kpi_mark_insert",
                note_days(
                    SQL(" UNION ALL ").join(
                        SQL("SELECT %s FROM new_rows r", day) for day in days
                    )
                ),
            )
            trigger(
                f"{table_name}_kpi_insert",
                table_name,
                "INSERT",
                SQL("REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT"),
                f"{table_name}_kpi_mark_insert",
            )

        # Lines: by statement, on the rows it wrote, at their order's date.
        def order_days(lines):
            return SQL(
                "SELECT o.date_order::date FROM %s r "
                "JOIN crm_order o ON o.id = r.order_id",
                lines,
            )

        function(
            "crm_order_line_kpi_mark",
            SQL(
                "IF TG_OP = 'INSERT' THEN %s "
                "ELSIF TG_OP = 'DELETE' THEN %s "
                "ELSE %s END IF;",
                note_days(order_days(SQL("new_rows"))),
                note_days(order_days(SQL("old_rows"))),
                note_days(
                    order_days(
                        SQL(
                            "(SELECT n.order_id FROM new_rows n JOIN old_rows o "
                            "ON o.id = n.id WHERE %s UNION ALL SELECT o.order_id "
                            "FROM new_rows n JOIN old_rows o ON o.id = n.id "
                            "WHERE %s)",
                            changed("o", "n", LINE_COLUMNS),
                            changed("o", "n", LINE_COLUMNS),
                        )
                    )
                ),
            ),
        )
        for event, transition in (
            ("INSERT", "NEW TABLE AS new_rows"),
            ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
            ("DELETE", "OLD TABLE AS old_rows"),
        ):
            trigger(
                f"crm_order_line_kpi_{event.lower()}",
                "crm_order_line",
                event,
                SQL("REFERENCING %s FOR EACH STATEMENT", SQL(transition)),
                "crm_order_line_kpi_mark",
            )

        # A status's category: every day the daily run looks at.
        recent_days = SQL(
            "INSERT INTO %s (day, changed_at) SELECT d::date, %s "
            "FROM generate_series(date_trunc('month', %s) - interval '1 month', "
            "(%s - 1)::timestamp, interval '1 day') AS d;",
            table,
            SQL(NOW_UTC),
            SQL(NOW_UTC),
            SQL(TODAY_UTC),
        )
        function("crm_order_status_kpi_mark", recent_days)
        trigger(
            "crm_order_status_kpi_update",
            "crm_order_status",
            "UPDATE",
            SQL("FOR EACH ROW WHEN (OLD.category IS DISTINCT FROM NEW.category)"),
            "crm_order_status_kpi_mark",
        )
        cr.execute(recent_days)

    @api.depends("granularity", "date_start", "order_type_id")
    def _compute_display_name(self):
        labels = dict(self._fields["granularity"]._description_selection(self.env))
        for snapshot in self:
            snapshot.display_name = "%s %s · %s" % (
                labels.get(snapshot.granularity, ""),
                snapshot.date_start or "",
                snapshot.order_type_id.name or self.env._("All types"),
            )

    @api.depends("order_type_id")
    @api.depends_context("lang")
    def _compute_order_type_label(self):
        for snapshot in self:
            snapshot.order_type_label = snapshot.order_type_id.name or self.env._(
                "All types"
            )

    # ------------------------------------------------------------
    # ACTIONS (scheduled action, recomputation)
    # ------------------------------------------------------------

    @api.model
    def _cron_compute_snapshots(self):
        """Daily: the current and the previous period of every granularity (UTC
        days, like the stored datetimes); a previous period only while it is not
        settled (see _settled_periods)."""
        periods = self.sudo()._compute_daily(fields.Date.today())
        self.env["ir.cron"]._notify_progress(done=periods, remaining=0)

    def _compute_daily(self, today):
        """The daily run for ``today``: returns the number of periods it looked
        at (computed or settled)."""
        # The metrics' lock before anything is read: another computation that
        # commits meanwhile could not be seen by this transaction's snapshot.
        self.env.cr.execute(
            SQL("SELECT pg_try_advisory_xact_lock(hashtext(%s))", LOCK_KEY)
        )
        if not self.env.cr.fetchone()[0]:
            _logger.info("Order metrics: another computation is running, skipped.")
            return 0
        periods = [
            (granularity, start)
            for granularity in kpi.GRANULARITIES
            for start in kpi.current_and_previous(granularity, today)
        ]
        settled = self._settled_periods(
            [
                (granularity, start)
                for granularity, start in periods
                if kpi.period_end(granularity, start) <= today
            ]
        )
        written = self._compute_snapshots(
            [period for period in periods if period not in settled]
        )
        if written is None:
            _logger.info("Order metrics: another computation is running, skipped.")
        else:
            self._forget_changes(min(start for _granularity, start in periods))
        return len(periods)

    def _forget_changes(self, first_day):
        """Keep CHANGE_TABLE small: the days before ``first_day`` are in no
        period the daily run looks at again, and of a day's notes only the
        latest counts."""
        table = SQL.identifier(CHANGE_TABLE)
        self.env.cr.execute(
            SQL(
                "DELETE FROM %s c WHERE c.day < %s OR EXISTS (SELECT 1 FROM %s n "
                "WHERE n.day = c.day AND n.changed_at > c.changed_at)",
                table,
                first_day,
                table,
            )
        )

    def _settled_periods(self, periods):
        """The ``periods`` (ended ones) whose snapshots need no recomputation:
        every snapshot of the period (each company, all types and each type) was
        computed at least SETTLED_AFTER after the period's end and after the
        last change noted on its days (CHANGE_TABLE).

        A transaction that began before a computation may commit after it, and
        its rows then count only in the next one: SETTLED_AFTER later, every
        transaction that began within the period, or before the change was
        noted, has committed long since. A period is thus computed by the daily
        runs of its days and of the day after its end, then only by the runs of
        the day after a change to one of its rows."""
        keys = set(self._snapshot_keys())
        settled = []
        cr = self.env.cr
        for granularity, start in periods:
            end = kpi.period_end(granularity, start)
            cr.execute(
                SQL(
                    "SELECT max(changed_at) FROM %s WHERE day >= %s AND day < %s",
                    SQL.identifier(CHANGE_TABLE),
                    start,
                    end,
                )
            )
            changed_at = cr.fetchone()[0]
            since = (
                max(datetime.combine(end, time.min), changed_at or datetime.min)
                + SETTLED_AFTER
            )
            snapshots = self.search_fetch(
                [("granularity", "=", granularity), ("date_start", "=", start)],
                ["company_id", "order_type_id", "computed_at"],
            )
            computed = {
                (snapshot.company_id.id, snapshot.order_type_id.id or None)
                for snapshot in snapshots
                if snapshot.computed_at and snapshot.computed_at >= since
            }
            if keys <= computed:
                settled.append((granularity, start))
        return settled

    @api.model
    def recompute_range(self, date_from, date_to, granularities=None):
        """Recompute the snapshots of every period that overlaps ``[date_from,
        date_to]`` (dates), for sales managers. ``granularities``: a list of
        ``"day"``, ``"week"``, ``"month"`` (default: all three).

        A range of at most RECOMPUTE_BATCH periods is computed at once, in the
        caller's transaction: returns the number of snapshots written (an int).
        A larger range is queued (``crm.order.kpi.job``) for the scheduled action
        *Orders: recompute queued order metrics*, which starts on it right away,
        one batch per transaction: returns ``{"job_id": <id>, "period_count":
        <periods queued>}`` and writes no snapshot in the call."""
        # Those who may follow the recomputations (sales managers) may ask for one.
        if not self.env["crm.order.kpi.job"].has_access("read"):
            raise AccessError(
                self.env._("Only sales managers can recompute order metrics.")
            )
        try:
            date_from = fields.Date.to_date(date_from)
            date_to = fields.Date.to_date(date_to)
        except (TypeError, ValueError) as error:
            raise UserError(
                self.env._("Give the dates as YYYY-MM-DD (%(error)s).", error=error)
            ) from error
        if not date_from or not date_to or date_from > date_to:
            raise UserError(self.env._("Give a start date on or before the end date."))
        if date_from < DATE_MIN or date_to > DATE_MAX:
            raise UserError(
                self.env._(
                    "Metrics are computed for dates from %(min)s to %(max)s.",
                    min=DATE_MIN,
                    max=DATE_MAX,
                )
            )
        granularities = granularities or list(kpi.GRANULARITIES)
        unknown = set(granularities) - set(kpi.GRANULARITIES)
        if unknown:
            raise UserError(
                self.env._(
                    "Unknown granularity: %(names)s (day, week or month).",
                    names=", ".join(sorted(unknown)),
                )
            )
        granularities = [name for name in kpi.GRANULARITIES if name in granularities]
        periods = self._periods_in_range(date_from, date_to, granularities)
        if len(periods) > RECOMPUTE_BATCH:
            job = self.env["crm.order.kpi.job"]._queue(
                date_from, date_to, granularities
            )
            return {"job_id": job.id, "period_count": len(periods)}
        return self._compute_snapshots_now(periods)

    @api.model
    def _compute_range_at_once(self, date_from, date_to):
        """Every period of every granularity that overlaps ``[date_from, date_to]``,
        computed at once in the caller's transaction, whatever its size: for the
        demo data, which ends by measuring its half year (about 220 periods) so
        that the metrics have figures on a fresh database. Returns the number of
        snapshots written."""
        periods = self._periods_in_range(
            fields.Date.to_date(date_from),
            fields.Date.to_date(date_to),
            list(kpi.GRANULARITIES),
        )
        return self._compute_snapshots_now(periods)

    def _compute_snapshots_now(self, periods):
        """``_compute_snapshots`` for a caller who waits for the figures: refused
        while another computation holds the lock."""
        written = self.sudo()._compute_snapshots(periods)
        if written is None:
            raise UserError(
                self.env._(
                    "The order metrics are being computed by another process; "
                    "try again in a moment."
                )
            )
        return written

    @api.model
    def _periods_in_range(self, date_from, date_to, granularities):
        """The ``(granularity, start)`` of every period of ``granularities`` that
        overlaps ``[date_from, date_to]``, in the order of their start (day before
        week before month on the same start).

        A batch of consecutive periods thus holds the days of about two months
        with the weeks and months starting in them, and reads the rows of those
        months once for all three granularities. Granularity by granularity, the
        rows of the whole range were read three times, and a batch mixing the
        last days with the first weeks read the range once more in between."""
        order = {name: index for index, name in enumerate(kpi.GRANULARITIES)}
        return sorted(
            (
                (granularity, start)
                for granularity in granularities
                for start in kpi.periods_between(granularity, date_from, date_to)
            ),
            key=lambda period: (period[1], order[period[0]]),
        )

    # ------------------------------------------------------------
    # THE METRIC ENGINE
    # ------------------------------------------------------------

    def _compute_snapshots(self, periods):
        """Measure ``periods`` (``(granularity, start)`` pairs) for every company,
        for all types and for each type, apply the formulas and upsert the
        snapshots. Returns how many were written, or None when another computation
        holds the lock (the caller's transaction then changed nothing)."""
        cr = self.env.cr
        cr.execute(SQL("SELECT pg_try_advisory_xact_lock(hashtext(%s))", LOCK_KEY))
        if not cr.fetchone()[0]:
            return None
        bounds = [
            (granularity, start, kpi.period_end(granularity, start))
            for granularity, start in periods
        ]
        inputs = self._measure(bounds)
        rows = [
            self._snapshot_row(granularity, start, end, company_id, type_id, measured)
            for (granularity, start, end) in bounds
            for company_id, type_id in self._snapshot_keys()
            for measured in [inputs.get((granularity, start, company_id, type_id), {})]
        ]
        self._upsert(rows)
        return len(rows)

    def _snapshot_keys(self):
        """(company id, type id or None) of every snapshot of a period: all types,
        and each active type the company can use."""
        keys = []
        types = self.env["crm.order.type"].with_context(active_test=True).search([])
        for company in self.env["res.company"].search([]):
            keys.append((company.id, None))
            keys.extend(
                (company.id, order_type.id)
                for order_type in types
                if order_type.company_id in (company, self.env["res.company"])
            )
        return keys

    def _measure(self, bounds):
        """The inputs of every (granularity, start, company, type or None) key, with
        one grouped query per family of inputs."""
        for model in (
            "crm.order",
            "crm.order.line",
            "crm.order.status.history",
            "crm.order.tracking",
        ):
            self.env[model].flush_model()
        periods = SQL(", ").join(
            SQL("(%s, %s::date, %s::date)", granularity, start, end)
            for granularity, start, end in bounds
        )
        # Constant bounds of the whole batch beside the per-period join: they let
        # PostgreSQL estimate the rows and use the date indexes.
        low = min(start for _granularity, start, _end in bounds)
        high = max(end for _granularity, _start, end in bounds)
        cr = self.env.cr
        # Short, index-driven aggregates: JIT compilation costs more than it saves.
        cr.execute(SQL("SET LOCAL jit = off"))
        cr.execute(SQL("SET LOCAL work_mem = %s", "64MB"))
        lookup = len(bounds) > RANGE_JOIN_PERIODS
        inputs = {}
        for query in self._input_queries(periods, low, high, lookup).values():
            cr.execute(query)
            for row in cr.dictfetchall():
                key = (
                    row.pop("granularity"),
                    row.pop("date_start"),
                    row.pop("company_id"),
                    None if row.pop("all_types") else row["order_type_id"],
                )
                row.pop("order_type_id")
                inputs.setdefault(key, {}).update(row)
        return inputs

    @staticmethod
    def _grouped_with(periods, select, from_where, company, order_type):
        """``select`` over ``from_where`` for each period, grouped by company and
        type and by company alone (the all-types snapshot), in one query."""
        return SQL(
            """
            WITH period(granularity, date_start, date_end) AS (VALUES %s)
            SELECT period.granularity, period.date_start,
                   %s AS company_id, %s AS order_type_id,
                   GROUPING(%s) = 1 AS all_types, %s
              %s
             GROUP BY GROUPING SETS (
                   (period.granularity, period.date_start, %s, %s),
                   (period.granularity, period.date_start, %s))
            """,
            periods,
            company,
            order_type,
            order_type,
            select,
            from_where,
            company,
            order_type,
            company,
        )

    @classmethod
    def _distinct_values(cls, periods, low, high, lookup, alias, select, source):
        """How many distinct ``value`` each period holds, per company and type and
        per company alone (the all-types snapshot), as ``alias``, in one query.

        ``select`` is ``(date, company, type, value)``, the expressions of
        ``source`` (``FROM ... WHERE ...``, the rows within the batch's bounds).
        Its rows are first reduced to their distinct (day, company, type,
        value), in one pass whatever the periods: few when the values are few
        (products, users). Only those are joined to the periods (each day to its
        day, week and month) and counted."""
        join, _bounds = cls._in_periods(SQL("day_value.day"), low, high, lookup)
        return SQL(
            """
            WITH period(granularity, date_start, date_end) AS (VALUES %s),
            day_value AS (
                SELECT date_trunc('day', %s) AS day, %s AS company_id,
                       %s AS order_type_id, %s AS value
                  %s
                 GROUP BY 1, 2, 3, 4
            ),
            distinct_value AS (
                SELECT period.granularity, period.date_start, company_id,
                       order_type_id, GROUPING(order_type_id) = 1 AS all_types
                  FROM day_value %s
                 GROUP BY GROUPING SETS (
                       (period.granularity, period.date_start, company_id,
                        order_type_id, value),
                       (period.granularity, period.date_start, company_id, value))
            )
            SELECT granularity, date_start, company_id, order_type_id, all_types,
                   COUNT(*) AS %s
              FROM distinct_value
             GROUP BY granularity, date_start, company_id, order_type_id, all_types
            """,
            periods,
            *select,
            source,
            join,
            SQL.identifier(alias),
        )

    @staticmethod
    def _in_periods(column, low, high, lookup):
        """Joins each row to the periods of the batch that hold ``column``, and the
        condition keeping the rows within the batch's constant bounds (the date
        indexes): ``(join, where)``; the join follows ``FROM <table>``.

        A handful of periods (the daily run's six): a range condition, which
        PostgreSQL answers with one index range scan per period. More
        (``lookup``): each row's day, ISO week and month are looked up among the
        periods, a hash join whatever their number; a range condition there
        compared every row with every period (62 times for a batch of weeks)."""
        bounds = SQL("%s >= %s::date AND %s < %s::date", column, low, column, high)
        if not lookup:
            return SQL(
                "JOIN period ON %s >= period.date_start AND %s < period.date_end",
                column,
                column,
            ), bounds
        return SQL(
            """
            CROSS JOIN LATERAL (VALUES
                ('day', %s::date),
                ('week', date_trunc('week', %s)::date),
                ('month', date_trunc('month', %s)::date)
            ) AS period_key(granularity, date_start)
            JOIN period ON period.granularity = period_key.granularity
                       AND period.date_start = period_key.date_start
            """,
            column,
            column,
            column,
        ), bounds

    def _input_queries(self, periods, low, high, lookup):
        """The grouped queries measuring the inputs of ``periods``, by name.

        A distinct count of a value with few distinct values per period (products,
        users) dedupes its rows in a hash table first (``_distinct_values``);
        PostgreSQL's ``COUNT(DISTINCT ...)`` would sort every row of the period,
        once per count and per grouping set. The counts of many distinct values
        (customers, orders) keep ``COUNT(DISTINCT ...)``, over the smallest rows
        that hold them: the orders, not their lines."""
        orders_join, orders_bounds = self._in_periods(
            SQL("o.date_order"), low, high, lookup
        )
        history_join, history_bounds = self._in_periods(
            SQL("h.date"), low, high, lookup
        )
        tracking_join, tracking_bounds = self._in_periods(
            SQL("t.date"), low, high, lookup
        )
        ratings_join, ratings_bounds = self._in_periods(
            SQL("o.rating_date"), low, high, lookup
        )
        orders = SQL("o.company_id"), SQL("o.order_type_id")
        history = SQL("h.company_id"), SQL("h.order_type_id")
        tracking = SQL("t.company_id"), SQL("t.order_type_id")
        return {
            # C and O (actual): the orders dated in the period.
            "orders": self._grouped_with(
                periods,
                SQL(
                    "COUNT(DISTINCT o.commercial_partner_id) AS customer_count, "
                    "COUNT(*) AS order_count"
                ),
                SQL("FROM crm_order o %s WHERE %s", orders_join, orders_bounds),
                *orders,
            ),
            # P: the products and services on their lines.
            "products": self._distinct_values(
                periods,
                low,
                high,
                lookup,
                "product_count",
                (SQL("o.date_order"), *orders, SQL("l.product_id")),
                SQL(
                    "FROM crm_order o JOIN crm_order_line l ON l.order_id = o.id "
                    "WHERE l.product_id IS NOT NULL AND %s",
                    orders_bounds,
                ),
            ),
            # S (completed, cancelled) and Tp: the changes of the period to a final
            # status. The rows carry their order's company and type, and on a
            # change to done the hours since the order left draft: no join with
            # the orders.
            "history": self._grouped_with(
                periods,
                SQL(
                    "COUNT(DISTINCT h.order_id) FILTER (WHERE s.category = 'done') "
                    "AS completed_count, "
                    "COUNT(DISTINCT h.order_id) FILTER (WHERE s.category = 'cancel') "
                    "AS cancelled_count, "
                    "AVG(h.processing_hours) FILTER (WHERE s.category = 'done') "
                    "AS processing_hours"
                ),
                SQL(
                    "FROM crm_order_status_history h %s "
                    "JOIN crm_order_status s ON s.id = h.status_to_id "
                    "WHERE s.category IN ('done', 'cancel') AND %s",
                    history_join,
                    history_bounds,
                ),
                *history,
            ),
            # N: the users who moved an order from one status to another. Changes
            # the system made (a payment, a delivery) were made by no processing
            # staff.
            "processors": self._distinct_values(
                periods,
                low,
                high,
                lookup,
                "processor_count",
                (SQL("h.date"), *history, SQL("h.user_id")),
                SQL(
                    "FROM crm_order_status_history h "
                    "WHERE h.status_from_id IS NOT NULL AND h.change_type != 'system' "
                    "AND h.user_id IS NOT NULL AND %s",
                    history_bounds,
                ),
            ),
            # Rp: the tracking events of the period and the orders they track.
            "tracking": self._grouped_with(
                periods,
                SQL(
                    "COUNT(*) AS tracking_event_count, "
                    "COUNT(DISTINCT t.order_id) AS tracked_order_count"
                ),
                SQL(
                    "FROM crm_order_tracking t %s WHERE %s",
                    tracking_join,
                    tracking_bounds,
                ),
                *tracking,
            ),
            # M: the users who logged them.
            "trackers": self._distinct_values(
                periods,
                low,
                high,
                lookup,
                "tracker_count",
                (SQL("t.date"), *tracking, SQL("t.user_id")),
                SQL(
                    "FROM crm_order_tracking t WHERE t.user_id IS NOT NULL AND %s",
                    tracking_bounds,
                ),
            ),
            # Ep: the ratings given in the period.
            "ratings": self._grouped_with(
                periods,
                SQL("COUNT(*) AS rated_count, AVG(o.rating) AS rating_avg"),
                SQL(
                    "FROM crm_order o %s WHERE o.rating > 0 AND %s",
                    ratings_join,
                    ratings_bounds,
                ),
                *orders,
            ),
        }

    @staticmethod
    def _snapshot_row(granularity, start, end, company_id, type_id, measured):
        """The values of one snapshot: its inputs, then the four formulas."""
        customers = measured.get("customer_count", 0)
        products = measured.get("product_count", 0)
        orders = measured.get("order_count", 0)
        completed = measured.get("completed_count", 0)
        cancelled = measured.get("cancelled_count", 0)
        processors = measured.get("processor_count", 0)
        processing_hours = measured.get("processing_hours")
        trackers = measured.get("tracker_count", 0)
        events = measured.get("tracking_event_count", 0)
        tracked = measured.get("tracked_order_count", 0)
        rated = measured.get("rated_count", 0)
        rating = measured.get("rating_avg")

        success = kpi.success_rate(completed, cancelled)
        events_per_order = kpi.average(events, tracked)
        metric_o, reason_o = kpi.order_generation(customers, products, success)
        metric_t, reason_t = kpi.processing(orders, processors, processing_hours)
        metric_r, reason_r = kpi.tracking(orders, trackers, events_per_order)
        metric_e, reason_e = kpi.evaluation(
            metric_r, metric_t, float(rating) if rating is not None else None
        )
        return {
            "granularity": granularity,
            "date_start": start,
            "date_end": end - timedelta(days=1),
            "company_id": company_id,
            "order_type_id": type_id,
            "customer_count": customers,
            "product_count": products,
            "completed_count": completed,
            "cancelled_count": cancelled,
            "success_rate": success,
            "order_count": orders,
            "processor_count": processors,
            "processing_hours": float(processing_hours)
            if processing_hours is not None
            else None,
            "tracker_count": trackers,
            "tracking_event_count": events,
            "tracked_order_count": tracked,
            "tracking_avg": events_per_order,
            "rated_count": rated,
            "rating_avg": float(rating) if rating is not None else None,
            "metric_o": metric_o,
            "metric_o_reason": reason_o,
            "metric_t": metric_t,
            "metric_t_reason": reason_t,
            "metric_r": metric_r,
            "metric_r_reason": reason_r,
            "metric_e": metric_e,
            "metric_e_reason": reason_e,
        }

    def _upsert(self, rows):
        """Insert the snapshots, or update those that exist (same key)."""
        if not rows:
            return
        columns = list(rows[0])
        now = fields.Datetime.now()
        uid = self.env.uid
        all_columns = [
            *columns,
            "computed_at",
            "create_uid",
            "create_date",
            "write_uid",
            "write_date",
        ]
        values = SQL(", ").join(
            SQL(
                "(%s)",
                SQL(", ").join(
                    SQL("%s", value)
                    for value in [*(row[c] for c in columns), now, uid, now, uid, now]
                ),
            )
            for row in rows
        )
        updated = [c for c in all_columns if c not in ("create_uid", "create_date")]
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO crm_order_kpi (%s) VALUES %s
                ON CONFLICT (company_id, granularity, date_start,
                             (COALESCE(order_type_id, 0)))
                DO UPDATE SET %s
                """,
                SQL(", ").join(SQL.identifier(c) for c in all_columns),
                values,
                SQL(", ").join(
                    SQL("%s = EXCLUDED.%s", SQL.identifier(c), SQL.identifier(c))
                    for c in updated
                ),
            )
        )
        self.invalidate_model()
