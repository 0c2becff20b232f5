# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from ..tools import DATE_MAX, check_client_values

RECURRENCE_UNITS = [
    ("day", "Days"),
    ("week", "Weeks"),
    ("month", "Months"),
    ("year", "Years"),
]
RECURRENCE_END_TYPES = [
    ("never", "Never"),
    ("date", "On a date"),
    ("count", "After a number"),
]
# Bounds of a recurrence: every 1 to 100 units, at most 1000 orders.
RECURRENCE_MAX_INTERVAL = 100
RECURRENCE_MAX_COUNT = 1000


class CrmOrderRecurrence(models.Model):
    """The rule of a recurring order (its template): every N days, weeks, months
    or years from the next occurrence, until a date or a number of generated
    orders. The order shows these fields as its own (``crm.order.recurrence_*``);
    an order without a recurrence repeats nothing. The scheduled action
    (``crm.order._cron_generate_recurring_orders``) generates the orders."""

    _name = "crm.order.recurrence"
    _description = "Order Recurrence"
    _order = "id"
    _check_company_auto = True

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    order_id = fields.Many2one(
        "crm.order",
        string="Recurring Order",
        required=True,
        ondelete="cascade",
        check_company=True,
    )
    company_id = fields.Many2one(
        related="order_id.company_id", store=True, index=True, precompute=True
    )
    repeat_interval = fields.Integer(
        string="Repeat Every",
        default=1,
        help="Number of units (days, weeks, months, years) between two occurrences.",
    )
    repeat_unit = fields.Selection(RECURRENCE_UNITS, default="month", required=True)
    next_date = fields.Date(
        string="Next Occurrence",
        copy=False,
        index="btree_not_null",
        help="Date of the next order generated from this one by the scheduled "
        "action; empty when the recurrence is not started or has ended.",
    )
    end_type = fields.Selection(
        RECURRENCE_END_TYPES,
        string="Recurrence Ends",
        default="never",
        required=True,
    )
    end_date = fields.Date(help="Last date an occurrence may fall on.")
    end_count = fields.Integer(
        string="Occurrences",
        help="Number of orders to generate in total from this order.",
    )

    _sql_constraints = [
        ("order_uniq", "unique (order_id)", "An order has one recurrence."),
    ]

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("order_id.name")
    def _compute_display_name(self):
        for recurrence in self:
            recurrence.display_name = recurrence.order_id.display_name

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains(
        "order_id",
        "repeat_interval",
        "next_date",
        "end_type",
        "end_date",
        "end_count",
    )
    def _check_recurrence(self):
        for recurrence in self:
            order = recurrence.order_id
            if recurrence.repeat_interval < 1:
                raise ValidationError(
                    self.env._(
                        "Order %(order)s: a recurrence repeats every 1 or more days, "
                        "weeks, months or years, not every %(interval)s.",
                        order=order.name,
                        interval=recurrence.repeat_interval,
                    )
                )
            if recurrence.repeat_interval > RECURRENCE_MAX_INTERVAL:
                raise ValidationError(
                    self.env._(
                        "Order %(order)s: a recurrence repeats every %(max)s days, "
                        "weeks, months or years at most, not every %(interval)s.",
                        order=order.name,
                        max=RECURRENCE_MAX_INTERVAL,
                        interval=recurrence.repeat_interval,
                    )
                )
            if recurrence.end_count > RECURRENCE_MAX_COUNT:
                raise ValidationError(
                    self.env._(
                        "Order %(order)s: a recurrence generates at most %(max)s "
                        "orders.",
                        order=order.name,
                        max=RECURRENCE_MAX_COUNT,
                    )
                )
            if recurrence.end_type == "date" and not recurrence.end_date:
                raise ValidationError(
                    self.env._(
                        "Order %(order)s: give the end date of the recurrence.",
                        order=order.name,
                    )
                )
            if recurrence.end_type == "count" and recurrence.end_count < 1:
                raise ValidationError(
                    self.env._(
                        "Order %(order)s: give the number of orders to generate "
                        "(1 or more).",
                        order=order.name,
                    )
                )
            if recurrence.next_date and not order.order_type_id.is_recurring:
                raise ValidationError(
                    self.env._(
                        "Order %(order)s: only orders of a recurring type repeat; "
                        "%(type)s is not one.",
                        order=order.name,
                        type=order.order_type_id.display_name,
                    )
                )
            if recurrence.next_date and order.origin_order_id:
                raise ValidationError(
                    self.env._(
                        "Order %(order)s was generated from a recurring order: it "
                        "does not repeat itself.",
                        order=order.name,
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
        if "order_id" in vals and any(
            recurrence.order_id.id != vals["order_id"] for recurrence in self
        ):
            raise UserError(
                self.env._("A recurrence cannot be moved to another order.")
            )
        return super().write(vals)

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _due_condition(self, today):
        """Recurrences due on ``today`` whose order may repeat: of a recurring
        type, not cancelled, for an active customer."""
        return SQL(
            """
            FROM crm_order_recurrence recurrence
            JOIN crm_order template ON template.id = recurrence.order_id
            JOIN crm_order_type order_type ON order_type.id = template.order_type_id
            JOIN res_partner partner ON partner.id = template.partner_id
           WHERE recurrence.next_date <= %s
             AND order_type.is_recurring
             AND template.status_category != 'cancel'
             AND partner.active
            """,
            today,
        )

    @api.model
    def _lock_due(self, today, limit):
        """At most ``limit`` recurrences due on ``today`` (``_due_condition``), in
        creation order, locked for this transaction. ``SKIP LOCKED``: those that
        another transaction holds (a run of the scheduled action that overlaps
        this one) are left to it."""
        self.flush_model()
        self.env["crm.order"].flush_model(
            ["order_type_id", "status_category", "partner_id"]
        )
        self.env["crm.order.type"].flush_model(["is_recurring"])
        self.env["res.partner"].flush_model(["active"])
        self.env.cr.execute(
            SQL(
                "SELECT recurrence.id %s ORDER BY recurrence.id LIMIT %s "
                "FOR UPDATE OF recurrence SKIP LOCKED",
                self._due_condition(today),
                limit,
            )
        )
        return self.browse(row[0] for row in self.env.cr.fetchall())

    @api.model
    def _count_due(self, today):
        self.env.cr.execute(SQL("SELECT count(*) %s", self._due_condition(today)))
        return self.env.cr.fetchone()[0]

    def _due_occurrences(self, today, generated):
        """The occurrences of this recurrence due on or before ``today`` that are
        not in ``generated`` (the dates generated already), in date order, and
        the next date once they are generated (False when the recurrence has
        ended: after its end date, or once its count of orders is reached)."""
        self.ensure_one()
        count = len(generated)
        occurrence = self.next_date
        due = []
        while occurrence and occurrence <= today:
            if self._is_ended(occurrence, count):
                return due, False
            if occurrence not in generated:
                due.append(occurrence)
                count += 1
            occurrence = self._next_occurrence(occurrence)
        if occurrence and self._is_ended(occurrence, count):
            occurrence = False
        return due, occurrence

    def _is_ended(self, occurrence, count):
        """Whether ``occurrence`` falls after the end of the recurrence, ``count``
        orders being generated already."""
        self.ensure_one()
        if self.end_type == "date":
            return occurrence > self.end_date
        if self.end_type == "count":
            return count >= self.end_count
        return False

    def _next_occurrence(self, occurrence):
        """The occurrence after ``occurrence``: relativedelta semantics, so a
        monthly order of the 31st falls on the last day of shorter months, and the
        following occurrences keep that day (Jan 31, Feb 29, Mar 29)."""
        self.ensure_one()
        try:
            following = occurrence + relativedelta(
                **{f"{self.repeat_unit}s": self.repeat_interval}
            )
        except (OverflowError, ValueError):
            return False
        return following if following <= DATE_MAX else False
