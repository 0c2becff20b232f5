# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from collections import defaultdict
from datetime import datetime

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tools import SQL, Query

from ..tools import (
    check_client_values,
    check_value_types,
    client_default_get,
    covering_index,
    history_import,
    history_import_user_id,
    with_server_values,
)
from .crm_order_recurrence import RECURRENCE_END_TYPES, RECURRENCE_UNITS

# Many2one fields whose "in" subqueries of a few records are given to PostgreSQL
# as ids (see CrmOrder._condition_to_sql): the customers of the search box
INLINE_IDS_FIELDS = ("partner_id", "commercial_partner_id")
# The layout of the status e-mails: Odoo's light layout, plus the rating links in
# the e-mail of a completed order to its customer (_notify_get_recipients_groups)
STATUS_MAIL_LAYOUT = "crm_order_management.mail_notification_status"

NEW_NAME = "New"
RATINGS = range(1, 6)
# fixed once an order is completed or cancelled (its lines too)
CLOSED_ORDER_FIELDS = ("partner_id", "date_order", "order_type_id")
# decide whether an order is its customer's first in the company (New Customer)
CUSTOMER_FIELDS = ("partner_id", "company_id", "order_type_id")
RECURRENCE_BATCH_SIZE = 100
# the distinct values PostgreSQL assumes for the order dates (see init())
DATE_ORDER_DISTINCT = 3650
# A run catches up at most RECURRENCE_CATCH_UP missed occurrences of a recurring
# order (the most recent ones) and notes the others in its chatter.
RECURRENCE_CATCH_UP = 12
# The recurrence of an order (crm.order.recurrence) shown as fields of the order:
# order field -> recurrence field, and what an order without a recurrence shows.
RECURRENCE_FIELDS = {
    "recurrence_interval": "repeat_interval",
    "recurrence_unit": "repeat_unit",
    "recurrence_next_date": "next_date",
    "recurrence_end_type": "end_type",
    "recurrence_end_date": "end_date",
    "recurrence_count": "end_count",
}
RECURRENCE_DEFAULTS = {
    "recurrence_interval": 1,
    "recurrence_unit": "month",
    "recurrence_next_date": False,
    "recurrence_end_type": "never",
    "recurrence_end_date": False,
    "recurrence_count": 0,
}

_logger = logging.getLogger(__name__)


class CrmOrder(models.Model):
    _name = "crm.order"
    _description = "Customer Order"
    _inherit = ["portal.mixin", "rating.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date_order desc, id desc"
    _check_company_auto = True
    # customers who may read an order (portal) write in its chatter, as on sales
    # orders
    _mail_post_access = "read"
    _rec_names_search = ["name", "partner_id.name"]
    # see _condition_to_sql
    _inline_ids_limit = 1000
    # Set by the server, never by clients (see tools.check_client_values): the
    # number, the dates of the workflow and of the rating, the recurrence
    # bookkeeping of generated orders, the link to the recurrence (clients give
    # the recurrence_* fields, which create or change it). Stored read-only
    # computed and related fields (amounts, status category, customer entity,
    # currency) are the server's too.
    _crm_server_fields = (
        "name",
        "access_token",
        "date_status",
        "date_confirmed",
        "date_done",
        "rating_date",
        "origin_order_id",
        "recurrence_occurrence_date",
        "recurrence_id",
        "recurrence_ids",
    )
    # Not server-owned, but never given by a client's default: a rating is given
    # to a completed order, never at creation.
    _crm_server_defaults = ("rating", "rating_comment")

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    # The key of the order's shared links (portal.mixin): read by the users who
    # give the links out (see _portal_ensure_token); the portal's routes read it as
    # the superuser.
    access_token = fields.Char(groups="sales_team.group_sale_salesman")
    name = fields.Char(
        string="Number",
        required=True,
        readonly=True,
        copy=False,
        default=lambda self: self.env._("New"),
        index="trigram",
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        tracking=True,
        index=True,
        check_company=True,
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id",
        string="Customer Entity",
        store=True,
        precompute=True,
        index=True,
    )
    date_order = fields.Datetime(
        string="Order Date",
        required=True,
        default=fields.Datetime.now,
        index=True,
        copy=False,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
        tracking=True,
        index=True,
        check_company=True,
    )
    team_id = fields.Many2one(
        "crm.team",
        string="Sales Team",
        compute="_compute_team_id",
        store=True,
        readonly=False,
        precompute=True,
        check_company=True,
        index="btree_not_null",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        index=True,
    )
    currency_id = fields.Many2one(
        related="company_id.currency_id",
        string="Currency",
        store=True,
        precompute=True,
    )
    order_type_id = fields.Many2one(
        "crm.order.type",
        string="Type",
        compute="_compute_order_type_id",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        tracking=True,
        index=True,
        check_company=True,
        ondelete="restrict",
        help="Chosen from the customer when left empty: the customer's default type, "
        "else Returning customer when the customer already has an order that is not "
        "cancelled, else New customer.",
    )
    # indexed by init(), with the figures of the kanban's columns
    status_id = fields.Many2one(
        "crm.order.status",
        required=True,
        default=lambda self: self._default_status_id(),
        tracking=True,
        copy=False,
        ondelete="restrict",
        group_expand="_read_group_status_ids",
    )
    status_category = fields.Selection(
        related="status_id.category",
        store=True,
        precompute=True,
        index=True,
        string="Status Category",
    )
    cancel_reason_id = fields.Many2one(
        "crm.order.cancel.reason",
        tracking=True,
        copy=False,
        index="btree_not_null",
        ondelete="restrict",
        help="Why the order was cancelled: required to move it to a cancelled "
        "status; cleared when it is reopened (the chatter keeps it).",
    )
    cancel_note = fields.Text(copy=False, groups="base.group_user")
    line_ids = fields.One2many("crm.order.line", "order_id", string="Lines", copy=True)
    amount_undiscounted = fields.Monetary(
        string="Before Discount",
        compute="_compute_amounts",
        store=True,
        help="Sum of quantity × unit price of the lines.",
    )
    amount_discount = fields.Monetary(
        string="Discount",
        compute="_compute_amounts",
        store=True,
    )
    amount_untaxed = fields.Monetary(
        string="Untaxed Amount",
        compute="_compute_amounts",
        store=True,
        help="Sum of the line subtotals, after discounts. Taxes are not handled by "
        "orders: they belong to invoicing.",
    )
    amount_total = fields.Monetary(
        string="Total",
        compute="_compute_amounts",
        store=True,
        tracking=True,
        aggregator="sum",
    )
    opportunity_id = fields.Many2one(
        "crm.lead",
        groups="base.group_user",
        check_company=True,
        index="btree_not_null",
        domain="[('type', '=', 'opportunity')]",
    )
    note = fields.Html(string="Internal Note", groups="base.group_user")
    date_confirmed = fields.Datetime(
        string="Confirmation Date",
        readonly=True,
        copy=False,
        help="When the order first left the draft status.",
    )
    date_done = fields.Datetime(
        string="Completion Date",
        readonly=True,
        copy=False,
        help="When the order reached a done status.",
    )
    date_status = fields.Datetime(
        string="Status Since",
        default=fields.Datetime.now,
        readonly=True,
        copy=False,
        help="When the order entered its current status.",
    )
    status_history_ids = fields.One2many(
        "crm.order.status.history",
        "order_id",
    )
    allowed_status_ids = fields.Many2many(
        "crm.order.status",
        string="Allowed Next Statuses",
        compute="_compute_allowed_status_ids",
        help="Statuses the current user may move this order to.",
    )
    status_path_ids = fields.Many2many(
        "crm.order.status",
        compute="_compute_allowed_status_ids",
        help="The statuses the status bar shows: the workflow of the order's type "
        "(every status its transitions link), the current status and the statuses "
        "the current user may move the order to; cancelled statuses only when the "
        "order is in one (cancelling goes through the Cancel Order button).",
    )
    next_status_id = fields.Many2one(
        "crm.order.status",
        compute="_compute_allowed_status_ids",
        help="The status the 'Next' button moves to: the first allowed status that is "
        "neither draft nor cancelled.",
    )
    cancel_status_id = fields.Many2one(
        "crm.order.status",
        compute="_compute_allowed_status_ids",
    )
    line_count = fields.Integer(compute="_compute_line_count")
    tracking_ids = fields.One2many(
        "crm.order.tracking", "order_id", string="Tracking Events"
    )
    tracking_count = fields.Integer(compute="_compute_tracking_count")
    # The customer's rating lives in Odoo's rating.rating (rating.mixin), whatever
    # gave it: the rating link of the Completed e-mail, the form, XML-RPC, a
    # message with a rating. The order shows its last consumed rating, stored for
    # the metrics and the customer profiles; writing these fields records the
    # rating there.
    rating = fields.Integer(
        string="Customer Rating",
        compute="_compute_rating",
        inverse="_inverse_rating",
        store=True,
        compute_sudo=True,
        copy=False,
        tracking=True,
        aggregator=False,
        help="The customer's rating of the completed order, from 1 (very poor) to 5 "
        "(excellent); 0 when not rated.",
    )
    rating_comment = fields.Text(
        compute="_compute_rating",
        inverse="_inverse_rating",
        store=True,
        compute_sudo=True,
        copy=False,
    )
    rating_date = fields.Datetime(
        string="Rated On",
        compute="_compute_rating",
        store=True,
        compute_sudo=True,
        copy=False,
        index="btree_not_null",
        help="When the customer gave the rating.",
    )
    order_type_is_recurring = fields.Boolean(related="order_type_id.is_recurring")
    # The recurrence of a recurring order (at most one: crm.order.recurrence
    # holds the link), and its fields shown on the order: an order without one
    # shows the defaults (every 1 month, never ends, no next date); setting other
    # values creates it.
    recurrence_ids = fields.One2many(
        "crm.order.recurrence", "order_id", string="Recurrences"
    )
    recurrence_id = fields.Many2one(
        "crm.order.recurrence",
        compute="_compute_recurrence_id",
        search="_search_recurrence_id",
        copy=False,
    )
    recurrence_interval = fields.Integer(
        string="Repeat Every",
        default=1,
        compute="_compute_recurrence_fields",
        inverse="_inverse_recurrence_fields",
        search="_search_recurrence_interval",
        readonly=False,
        copy=True,
        help="Number of units (days, weeks, months, years) between two occurrences.",
    )
    recurrence_unit = fields.Selection(
        RECURRENCE_UNITS,
        string="Repeat Unit",
        default="month",
        compute="_compute_recurrence_fields",
        inverse="_inverse_recurrence_fields",
        search="_search_recurrence_unit",
        readonly=False,
        copy=True,
        required=True,
    )
    recurrence_next_date = fields.Date(
        string="Next Occurrence",
        compute="_compute_recurrence_fields",
        inverse="_inverse_recurrence_fields",
        search="_search_recurrence_next_date",
        readonly=False,
        help="Date of the next order generated from this one by the scheduled "
        "action; empty when the recurrence is not started or has ended.",
    )
    recurrence_end_type = fields.Selection(
        RECURRENCE_END_TYPES,
        string="Recurrence Ends",
        default="never",
        compute="_compute_recurrence_fields",
        inverse="_inverse_recurrence_fields",
        search="_search_recurrence_end_type",
        readonly=False,
        copy=True,
        required=True,
    )
    recurrence_end_date = fields.Date(
        string="End Date",
        compute="_compute_recurrence_fields",
        inverse="_inverse_recurrence_fields",
        search="_search_recurrence_end_date",
        readonly=False,
        copy=True,
        help="Last date an occurrence may fall on.",
    )
    recurrence_count = fields.Integer(
        string="Occurrences",
        compute="_compute_recurrence_fields",
        inverse="_inverse_recurrence_fields",
        search="_search_recurrence_count",
        readonly=False,
        copy=True,
        help="Number of orders to generate in total from this order.",
    )
    origin_order_id = fields.Many2one(
        "crm.order",
        string="Generated From",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        check_company=True,
    )
    recurrence_occurrence_date = fields.Date(
        string="Occurrence Date",
        readonly=True,
        copy=False,
        help="The occurrence of the recurring order this order was generated for.",
    )
    generated_order_ids = fields.One2many(
        "crm.order", "origin_order_id", string="Generated Orders"
    )
    generated_order_count = fields.Integer(compute="_compute_generated_order_count")

    _sql_constraints = [
        (
            "name_company_uniq",
            "unique (company_id, name)",
            "Order numbers are unique within a company.",
        ),
        (
            "rating_range",
            "CHECK (rating >= 0 AND rating <= 5)",
            "A rating is a whole number from 1 to 5 (0: not rated).",
        ),
        (
            "recurrence_occurrence_uniq",
            "unique (origin_order_id, recurrence_occurrence_date)",
            "An order was already generated for this occurrence of the recurring "
            "order.",
        ),
    ]

    def init(self):
        # The index of the status also carries what the kanban's columns add up
        # (the total, and the company of the record rules): the web client's
        # grouping by status reads the index alone instead of the whole table,
        # which at a million orders took the columns from 335 to 200 ms in plain
        # SQL (bench/bench_ui.py).
        covering_index(
            self,
            "status_id",
            "crm_order_status_id_amount_index",
            ["company_id", "amount_total"],
        )
        # The web client groups orders by date through date_trunc() (days,
        # weeks, months), whose distinct values PostgreSQL estimates as those of
        # date_order itself: one per order. At a million orders it then sorted
        # the analysis pivot's million rows one by one instead of hashing its
        # few hundred month x status groups in parallel workers (bench_ui.py:
        # 877 to 278 ms). The groupings have at most as many values as there
        # are days: ten years of them is the estimate it is given instead
        # (PostgreSQL applies it at the table's next ANALYZE).
        self.env.cr.execute(
            SQL(
                "ALTER TABLE %s ALTER COLUMN date_order SET (n_distinct = %s)",
                SQL.identifier(self._table),
                DATE_ORDER_DISTINCT,
            )
        )

    # ------------------------------------------------------------
    # DEFAULTS, COMPUTE AND SEARCH METHODS
    # ------------------------------------------------------------

    @api.model
    def _default_status_id(self):
        Status = self.env["crm.order.status"]
        return Status.browse(Status._first_draft_status_id())

    @api.model
    def _read_group_status_ids(self, statuses, domain):
        # Every active status is a kanban column, even an empty one.
        return statuses.search([])

    def _condition_to_sql(self, alias, fname, operator, value, query):
        """The customers ``in`` a subquery of a few records are given to
        PostgreSQL as their ids. The search box's *Order* filter, ``['|',
        ('name', 'ilike', text), ('partner_id', 'child_of', text)]``, gives the
        customers as a subquery; OR-ed with the number, PostgreSQL cannot turn
        it into a join, estimates it to keep half the orders and reads them all
        (0.8 s at a million orders, and as much again for the count). With the
        customers' ids it reads the index of each condition instead. Subqueries
        of more than _inline_ids_limit records are left as they are; so are
        those of other fields than the customers (INLINE_IDS_FIELDS): each costs
        a query more every time a domain is turned into SQL."""
        if (
            operator == "in"
            and fname in INLINE_IDS_FIELDS
            and isinstance(value, Query)
            # ids the ORM knows already are given as they are (subselect)
            and value._ids is None
        ):
            rows = self.env.execute_query(
                SQL(
                    "SELECT * FROM (%s) AS ids LIMIT %s",
                    value.select(),
                    self._inline_ids_limit + 1,
                )
            )
            if len(rows) <= self._inline_ids_limit:
                value = [row[0] for row in rows]
        return super()._condition_to_sql(alias, fname, operator, value, query)

    @api.model
    def _read_group(
        self,
        domain,
        groupby=(),
        aggregates=(),
        having=(),
        offset=0,
        limit=None,
        order=None,
    ):
        """Groups ordered by status are sorted here, not by PostgreSQL.

        To order groups by ``status_id``, the ORM joins every order with its
        status and sorts on the status's sequence; at a million orders that join
        was a third of the kanban's grouping by status and kept the analysis
        pivot (month x status) from aggregating in parallel (bench/bench_ui.py).
        There are a handful of statuses: the groups are read without the join,
        then sorted here by the same order, ``crm.order.status._order``. Only
        orders on the groups themselves (the status and dates) are sorted this
        way; any other order is left to the ORM."""
        groupby = list(groupby)
        terms = self._read_group_python_order(groupby, order)
        if terms is None:
            return super()._read_group(
                domain, groupby, aggregates, having, offset, limit, order
            )
        rows = super()._read_group(domain, groupby, aggregates, having)
        position = groupby.index("status_id")
        statuses = self.env["crm.order.status"].browse(
            {row[position].id for row in rows}
        )
        rank = {
            status.id: index
            for index, status in enumerate(
                statuses.sudo()
                .with_context(active_test=False)
                .search([("id", "in", statuses.ids)])
            )
        }
        # A stable sort per term, the last term first: the first term decides.
        # Empty groups (NULL, which the ORM gives as False) come last in
        # ascending order and first in descending order, as in PostgreSQL.
        for index, descending in reversed(terms):
            if index == position:

                def key(row, index=index):
                    value = rank.get(row[index].id)
                    return (value is None, value)

            else:

                def key(row, index=index):
                    value = row[index]
                    empty = value is None or value is False
                    return (empty, None if empty else value)

            rows.sort(key=key, reverse=descending)
        # no limit: None, False or 0, as for the ORM
        offset = offset or 0
        return rows[offset : offset + limit if limit else None]

    @api.model
    def _read_group_python_order(self, groupby, order):
        """``[(index of the group in groupby, descending)]`` of each term of
        ``order`` when it orders by ``status_id`` and its other terms are date
        groups (whose values Python compares as PostgreSQL does); None
        otherwise."""
        if not order or "status_id" not in groupby:
            return None
        terms = []
        for part in order.split(","):
            match = models.regex_order.match(part)
            if not match or match["nulls"] or match["term"] not in groupby:
                return None
            name = match["term"]
            field = self._fields.get(name.split(":")[0].split(".")[0])
            if name != "status_id" and (
                not field or field.type not in ("date", "datetime")
            ):
                return None
            direction = (match["direction"] or "ASC").upper()
            terms.append((groupby.index(name), direction == "DESC"))
        if not any(groupby[index] == "status_id" for index, _desc in terms):
            return None
        return terms

    @api.depends("user_id", "company_id")
    def _compute_team_id(self):
        cache = {}
        for order in self:
            key = (order.user_id.id, order.company_id.id)
            if key not in cache:
                cache[key] = (
                    self.env["crm.team"]
                    .with_company(order.company_id)
                    ._get_default_team_id(
                        user_id=order.user_id.id,
                        domain=[("company_id", "in", [order.company_id.id, False])],
                    )
                )
            order.team_id = cache[key]

    @api.depends("partner_id")
    def _compute_order_type_id(self):
        orders = self.filtered(lambda o: not o.order_type_id and o.partner_id)
        for company, company_orders in orders.grouped("company_id").items():
            types = self._default_order_types(company_orders.partner_id, company)
            for order in company_orders:
                order.order_type_id = types[order.partner_id.id]

    @api.depends(
        "line_ids.price_subtotal", "line_ids.price_undiscounted", "currency_id"
    )
    def _compute_amounts(self):
        for order in self:
            lines = order.line_ids
            undiscounted = sum(lines.mapped("price_undiscounted"))
            untaxed = sum(lines.mapped("price_subtotal"))
            order.amount_undiscounted = undiscounted
            order.amount_untaxed = untaxed
            order.amount_discount = order.currency_id.round(undiscounted - untaxed)
            order.amount_total = untaxed

    @api.depends("status_id", "order_type_id")
    @api.depends_context("uid")
    def _compute_allowed_status_ids(self):
        transitions = self.env["crm.order.transition"].sudo().search([])
        for order in self:
            allowed = order._allowed_next_statuses(transitions)
            order.allowed_status_ids = allowed
            of_type = transitions.filtered(
                lambda t, o=order: not t.order_type_ids
                or o.order_type_id in t.order_type_ids
            )
            # Cancelled statuses are not steps of the path: like sale's "Cancelled"
            # (statusbar_visible) and CRM's "Lost", they are reached by a button
            # (Cancel Order) and shown only on an order that is in one.
            workflow = (
                of_type.from_status_id | of_type.to_status_id | allowed
            ).filtered(lambda s: s.active and s.category != "cancel")
            order.status_path_ids = (workflow | order.status_id).sorted()
            order.next_status_id = allowed.filtered(
                lambda s: s.category in ("open", "done")
            )[:1]
            order.cancel_status_id = allowed.filtered(lambda s: s.category == "cancel")[
                :1
            ]

    def _compute_tracking_count(self):
        counts = dict(
            self.env["crm.order.tracking"]._read_group(
                [("order_id", "in", self.ids)], ["order_id"], ["__count"]
            )
        )
        for order in self:
            order.tracking_count = counts.get(order, 0)

    @api.depends("rating_ids.rating", "rating_ids.consumed", "rating_ids.feedback")
    def _compute_rating(self):
        for order in self:
            last = order._last_rating()
            order.rating = round(last.rating) if last else 0
            order.rating_comment = last.feedback or False
            order.rating_date = last.write_date or False

    def _last_rating(self):
        """The order's rating: its last consumed rating.rating, as rating.mixin
        takes it (last changed first)."""
        self.ensure_one()
        ratings = self.rating_ids.filtered("consumed")
        return max(ratings, key=lambda r: (r.write_date, r.id), default=ratings)

    def _inverse_rating(self):
        """Record the rating written on the order as its rating.rating: the last
        consumed one is changed, or the customer's rating request is consumed (the
        one of the Completed e-mail, created if none). 0 removes the rating."""
        for order in self:
            last = order.sudo()._last_rating()
            if not order.rating:
                order.sudo().rating_ids.filtered("consumed").unlink()
                continue
            values = {"rating": order.rating, "feedback": order.rating_comment or False}
            if last and (last.rating, last.feedback or False) == (
                values["rating"],
                values["feedback"],
            ):
                continue
            if not last:
                token = order.sudo()._rating_get_access_token()
                last = (
                    self.env["rating.rating"]
                    .sudo()
                    .search([("access_token", "=", token)], limit=1)
                )
            last.write({**values, "consumed": True})

    def _set_rating_date(self, date):
        """History import: the rating was given at ``date`` (the write date of its
        rating.rating, which Odoo sets itself otherwise)."""
        ratings = self.sudo().rating_ids.filtered("consumed")
        if not ratings:
            return
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE rating_rating SET write_date = %s WHERE id IN %s",
                fields.Datetime.to_datetime(date),
                tuple(ratings.ids),
            )
        )
        ratings.invalidate_recordset(["write_date"])
        self._recompute_rating()

    def _recompute_rating(self):
        for fname in ("rating", "rating_comment", "rating_date"):
            self.env.add_to_compute(self._fields[fname], self)
        self.flush_recordset()

    @api.depends("line_ids")
    def _compute_line_count(self):
        for order in self:
            order.line_count = len(order.line_ids)

    def _compute_generated_order_count(self):
        counts = dict(
            self.sudo()._read_group(
                [("origin_order_id", "in", self.ids)], ["origin_order_id"], ["__count"]
            )
        )
        for order in self:
            order.generated_order_count = counts.get(order, 0)

    @api.depends("recurrence_ids")
    def _compute_recurrence_id(self):
        for order in self:
            order.recurrence_id = order.recurrence_ids[:1]

    def _search_recurrence_id(self, operator, value):
        return [("recurrence_ids", operator, value)]

    @api.depends(
        "recurrence_id",
        *(f"recurrence_id.{name}" for name in RECURRENCE_FIELDS.values()),
    )
    def _compute_recurrence_fields(self):
        for order in self:
            recurrence = order.recurrence_id
            for name, recurrence_name in RECURRENCE_FIELDS.items():
                order[name] = (
                    recurrence[recurrence_name]
                    if recurrence
                    else RECURRENCE_DEFAULTS[name]
                )

    def _search_recurrence_interval(self, operator, value):
        return self._search_recurrence_field("recurrence_interval", operator, value)

    def _search_recurrence_unit(self, operator, value):
        return self._search_recurrence_field("recurrence_unit", operator, value)

    def _search_recurrence_next_date(self, operator, value):
        return self._search_recurrence_field("recurrence_next_date", operator, value)

    def _search_recurrence_end_type(self, operator, value):
        return self._search_recurrence_field("recurrence_end_type", operator, value)

    def _search_recurrence_end_date(self, operator, value):
        return self._search_recurrence_field("recurrence_end_date", operator, value)

    def _search_recurrence_count(self, operator, value):
        return self._search_recurrence_field("recurrence_count", operator, value)

    def _search_recurrence_field(self, name, operator, value):
        """The orders whose recurrence matches, and those without a recurrence
        when the default they show matches (XML-RPC clients search these fields
        as they did when they were columns of the order)."""
        recurrence_name = RECURRENCE_FIELDS[name]
        condition = [(recurrence_name, operator, value)]
        domain = [("recurrence_ids", "any", condition)]
        default = self.env["crm.order.recurrence"].new(
            {recurrence_name: RECURRENCE_DEFAULTS[name]}
        )
        if default.filtered_domain(condition):
            domain = expression.OR([domain, [("recurrence_ids", "=", False)]])
        return domain

    def _inverse_recurrence_fields(self):
        # The fields the caller did not give are in the cache: defaults at
        # creation, the current values read by write(). The ORM would show them
        # as False to an inverse otherwise.
        Recurrence = self.env["crm.order.recurrence"]
        for order in self:
            values = {name: order[name] for name in RECURRENCE_FIELDS}
            recurrence = order.recurrence_id
            if recurrence:
                changes = {
                    RECURRENCE_FIELDS[name]: value
                    for name, value in values.items()
                    if recurrence[RECURRENCE_FIELDS[name]] != value
                }
                if changes:
                    recurrence.write(changes)
            elif values != RECURRENCE_DEFAULTS:
                Recurrence.create(
                    {
                        "order_id": order.id,
                        **{RECURRENCE_FIELDS[n]: v for n, v in values.items()},
                    }
                )

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("order_type_id", "origin_order_id")
    def _check_recurrence(self):
        """Only orders of a recurring type repeat, and generated orders do not
        (the other rules of a recurrence are checked on crm.order.recurrence)."""
        self.recurrence_id._check_recurrence()

    @api.constrains("rating")
    def _check_rating_done(self):
        not_done = self.filtered(lambda o: o.rating and o.status_category != "done")
        if not_done:
            raise ValidationError(
                self.env._(
                    "Only completed orders can be rated (%(orders)s).",
                    orders=", ".join(not_done.mapped("name")),
                )
            )

    @api.constrains("order_type_id", "partner_id", "company_id")
    def _check_new_customer_type(self):
        """A customer's New Customer order is its first order in the company
        (cancelled ones aside), whether the type was given or defaulted: the
        metric of new customers counts these orders. Checked for every order of
        the customers concerned: an order given to another customer may come
        before that customer's New Customer order."""
        misplaced = self._misplaced_new_customer_orders()
        if misplaced:
            raise ValidationError(
                self.env._(
                    "%(customer)s already has orders: only a customer's first order "
                    "is a %(type)s order (%(orders)s).",
                    customer=misplaced[0].commercial_partner_id.display_name,
                    type=misplaced[0].order_type_id.name,
                    orders=", ".join(misplaced.mapped("name")),
                )
            )

    def _check_reopened_new_customer_orders(self):
        """Orders that leave a cancelled status count again: a reopened order
        must not leave its customer with a New Customer order that is not its
        first one (another first order may have been made while it was
        cancelled)."""
        misplaced = self._misplaced_new_customer_orders()
        if not misplaced:
            return
        customer = misplaced[0].commercial_partner_id
        company = misplaced[0].company_id
        reopened = self.sudo().filtered(
            lambda o: (o.commercial_partner_id, o.company_id) == (customer, company)
        )
        others = self.sudo().search(
            [
                ("commercial_partner_id", "=", customer.id),
                ("company_id", "=", company.id),
                ("order_type_id", "=", misplaced[0].order_type_id.id),
                ("status_category", "!=", "cancel"),
                ("id", "not in", reopened.ids),
            ]
        )
        raise ValidationError(
            self.env._(
                "%(orders)s cannot be reopened: %(customer)s has another %(type)s "
                "order (%(others)s), and only a customer's first order is a "
                "%(type)s order.",
                orders=", ".join(reopened.mapped("name")),
                customer=customer.display_name,
                type=misplaced[0].order_type_id.name,
                others=", ".join((others or misplaced).mapped("name")),
            )
        )

    def _misplaced_new_customer_orders(self):
        """The New Customer orders of the customers of these orders (in their
        companies) that are not their customer's first order, cancelled orders
        aside, where these orders are the cause: one of them is such an order,
        or is the first order that another one no longer is. A conflict these
        orders have no part in (an older history import) does not block them.
        With sudo(): they may be other salespeople's orders."""
        new_type = self._order_type_by_xmlid("order_type_new")
        if not new_type or history_import(self.env):
            return self.browse()
        pairs = {
            (order.commercial_partner_id.id, order.company_id.id)
            for order in self
            if order.commercial_partner_id and order.status_category != "cancel"
        }
        if not pairs:
            return self.browse()
        # one query: each customer's first order and its New Customer orders
        self.flush_model(
            ["commercial_partner_id", "company_id", "order_type_id", "status_category"]
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT commercial_partner_id, company_id, MIN(id),
                       ARRAY_AGG(id ORDER BY id) FILTER (WHERE order_type_id = %s)
                  FROM crm_order
                 WHERE commercial_partner_id = ANY(%s) AND company_id = ANY(%s)
                   AND status_category != 'cancel'
                 GROUP BY commercial_partner_id, company_id
                """,
                new_type.id,
                [entity for entity, _c in pairs],
                [company for _e, company in pairs],
            )
        )
        first = {}
        new_ids = {}
        for entity, company, first_id, ids in self.env.cr.fetchall():
            first[entity, company] = first_id
            new_ids[entity, company] = [i for i in ids or () if i != first_id]
        orders = self.sudo()
        mine = set(self.ids)
        return orders.browse(
            [
                order_id
                for key in pairs
                if first.get(key) in mine or mine.intersection(new_ids.get(key, ()))
                for order_id in new_ids.get(key, ())
            ]
        )

    @api.constrains("status_id", "cancel_reason_id")
    def _check_cancel_reason_kept(self):
        """The last guard of the cancel reasons, whatever the path: a cancelled
        order has a reason (history imports may lack one)."""
        if history_import(self.env):
            return
        missing = self.filtered(
            lambda o: o.status_category == "cancel" and not o.cancel_reason_id
        )
        if missing:
            raise ValidationError(
                self.env._(
                    "Give a cancel reason to cancel %(orders)s.",
                    orders=", ".join(missing.mapped("name")),
                )
            )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model
    def default_get(self, fields_list):
        return client_default_get(self, fields_list, super().default_get)

    @api.model_create_multi
    def create(self, vals_list):
        # The values are completed below (type, status, number): work on copies, so
        # that a call Odoo retries after a serialization failure gets the caller's
        # values again.
        vals_list = [dict(vals) for vals in vals_list]
        check_client_values(self, vals_list)
        self._check_line_values(vals_list)
        self._check_opportunities(vals_list)
        importing = history_import(self.env)
        if not importing and any(
            vals.get("rating") or vals.get("rating_comment") for vals in vals_list
        ):
            raise UserError(self.env._("Only completed orders can be rated."))
        # A rating given at creation (history import) goes through write(), like
        # any rating: checked (completed orders only, 1 to 5) and recorded.
        ratings = [
            {
                key: vals.pop(key)
                for key in ("rating", "rating_comment", "rating_date")
                if key in vals
            }
            for vals in vals_list
        ]
        self._prepare_order_values(vals_list)
        orders = super().create(vals_list)
        if not importing:
            orders._check_initial_status()
        orders._check_lines_for_status()
        for order in orders:
            order._set_status_dates(order.date_status, entered=False)
        orders._log_status_changes(
            {order.id: (self.env["crm.order.status"], 0.0) for order in orders}
        )
        if not importing:
            orders._run_status_automation()
        for order, rating_vals in zip(orders, ratings, strict=True):
            if rating_vals.get("rating"):
                order.write(rating_vals)
        return orders

    def write(self, vals):
        check_client_values(self, [vals])
        self._check_line_values([vals])
        self._check_opportunities([vals])
        if not vals.keys().isdisjoint(RECURRENCE_FIELDS):
            # The inverse of the recurrence's fields sees all of them: the current
            # values of those not written are read into the cache first.
            self.mapped("recurrence_interval")
        if "company_id" in vals:
            self._check_company_change(vals["company_id"])
        self._check_closed_header(vals)
        if not vals.keys().isdisjoint(CUSTOMER_FIELDS):
            # whether an order is its customer's first (New Customer) depends on
            # the customer's other orders: one transaction at a time, as create()
            self._lock_orders({vals["partner_id"]} if vals.get("partner_id") else ())
        rating_date = None
        if not vals.keys().isdisjoint(("rating", "rating_comment", "rating_date")):
            vals = dict(vals)
            rating_date = vals.pop("rating_date", None)
            self._check_rating_values(vals)
        if "status_id" in vals:
            vals = dict(vals)
            status_id = vals.pop("status_id")
            status = self.env["crm.order.status"].browse(status_id).exists()
            if not status:
                raise ValidationError(
                    self.env._("Status %(id)s does not exist.", id=status_id)
                )
            res = self._change_status(status, vals)
        else:
            if (
                "cancel_reason_id" in vals
                and not vals["cancel_reason_id"]
                and not history_import(self.env)
            ):
                self._check_cancel_reason(vals)
            res = super().write(vals)
        # whatever else the call changed (a status too): the checks of the values
        if "company_id" in vals:
            # the products of the lines belong to the new company too
            self.line_ids._check_company()
        if rating_date:
            self._set_rating_date(rating_date)
        elif not vals.keys().isdisjoint(("rating", "rating_comment")):
            # written through _inverse_rating, which Odoo protects from
            # recomputation: the date (and a removed comment) come from the record
            self._recompute_rating()
        return res

    def copy_data(self, default=None):
        vals_list = super().copy_data(default=default)
        # A copy of a customer's first order is not its first order: its type is
        # decided as for any new order.
        new_type = self._order_type_by_xmlid("order_type_new")
        if new_type and "order_type_id" not in (default or {}):
            for vals in vals_list:
                if vals.get("order_type_id") == new_type.id:
                    del vals["order_type_id"]
        return vals_list

    @api.ondelete(at_uninstall=False)
    def _unlink_except_draft_or_cancel(self):
        locked = self.filtered(lambda o: o.status_category not in ("draft", "cancel"))
        if locked:
            raise UserError(
                self.env._(
                    "Only draft or cancelled orders can be deleted; cancel these "
                    "first: %(orders)s",
                    orders=", ".join(locked.mapped("display_name")),
                )
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_others_work(self):
        """A salesperson deletes their drafts; an order that went through the
        workflow (its history counts in the metrics) or holds other users'
        tracking events is deleted by a sales manager."""
        if history_import(self.env) or self.env.user.has_group(
            "sales_team.group_sale_manager"
        ):
            return
        # left draft: confirmed, or moved to a status of another category (a
        # draft cancelled at once counts as a cancellation in the metrics)
        moved = (
            self.env["crm.order.status.history"]
            .sudo()
            .search(
                [
                    ("order_id", "in", self.ids),
                    ("status_from_id", "!=", False),
                    ("status_to_id.category", "!=", "draft"),
                ]
            )
            .order_id
        )
        worked = self.filtered(lambda o: o.date_confirmed or o in moved)
        if worked:
            raise UserError(
                self.env._(
                    "Orders that left draft keep their history for the metrics: "
                    "only sales managers delete them (%(orders)s).",
                    orders=", ".join(worked.mapped("display_name")),
                )
            )
        others = (
            self.env["crm.order.tracking"]
            .sudo()
            .search([("order_id", "in", self.ids), ("user_id", "!=", self.env.uid)])
            .order_id
        )
        if others:
            raise UserError(
                self.env._(
                    "These orders hold other users' tracking events: only sales "
                    "managers delete them (%(orders)s).",
                    orders=", ".join(others.with_env(self.env).mapped("display_name")),
                )
            )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_set_status(self, status_id, cancel_reason_id=None, cancel_note=None):
        """Move the orders to ``status_id`` (an id): the entry point for buttons and
        XML-RPC clients. Refused with the allowed statuses when not allowed. A
        cancelled status needs a cancel reason (an id of crm.order.cancel.reason),
        given here or already on the orders; ``cancel_note`` explains it."""
        vals = {"status_id": status_id}
        if cancel_reason_id is not None:
            vals["cancel_reason_id"] = cancel_reason_id
        if cancel_note is not None:
            vals["cancel_note"] = cancel_note
        self.write(vals)
        return True

    def action_next_status(self):
        self.ensure_one()
        if not self.next_status_id:
            raise UserError(self._transition_refused_message(None))
        return self.action_set_status(self.next_status_id.id)

    def action_cancel(self):
        """Open the wizard asking why the order is cancelled."""
        self.ensure_one()
        if not self.cancel_status_id:
            raise UserError(self._transition_refused_message(None))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Cancel Order"),
            "res_model": "crm.order.cancel",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_order_id": self.id},
        }

    def action_rate(self, rating, comment=False):
        """Record the customer's rating (1 to 5) of completed orders, for buttons
        and XML-RPC clients."""
        self.write({"rating": rating, "rating_comment": comment})
        return True

    def rating_apply(
        self,
        rate,
        token=None,
        rating=None,
        feedback=None,
        subtype_xmlid=None,
        notify_delay_send=False,
    ):
        """A rating given through the link of the Completed e-mail is the order's
        rating (see _compute_rating). A link rates only the order it was issued
        for, and only once that order is completed."""
        self._check_rating_token(token)
        return super().rating_apply(
            rate,
            token=token,
            rating=rating,
            feedback=feedback,
            subtype_xmlid=subtype_xmlid,
            notify_delay_send=notify_delay_send,
        )

    # ------------------------------------------------------------
    # CHATTER
    # ------------------------------------------------------------

    def _check_customer_posts_from_portal(self):
        """Customers (portal users) and visitors with a shared link write on an
        order from its page in the portal, whose chatter route posts for them as
        the superuser with the parameters it allows (see
        _get_allowed_message_post_params; the author is the customer). Never
        directly (XML-RPC message_post, message_notify, mail.message), where they
        would choose the author, the recipients or a rating."""
        if self.env.user.share and not self.env.su:
            raise AccessError(
                self.env._("Customers write on an order from its page in the portal.")
            )

    @api.returns("mail.message", lambda value: value.id)
    def message_post(self, **kwargs):
        self._check_customer_posts_from_portal()
        return super().message_post(**kwargs)

    @api.returns("mail.message", lambda value: value.id)
    def message_notify(self, **kwargs):
        self._check_customer_posts_from_portal()
        return super().message_notify(**kwargs)

    def _rating_in_messages_allowed(self):
        """Whether a message of the current user may carry a rating (portal_rating's
        rating_value): the customer rates the order once (its page, the link of
        the Completed e-mail), the users who may change the order change its
        rating; customers, visitors with a link and users who only read the
        order do not rate it through the chatter."""
        return not self.env.user.share and self.sudo(False).has_access("write")

    def _get_allowed_message_post_params(self):
        params = super()._get_allowed_message_post_params()
        if not self._rating_in_messages_allowed():
            params = params - {"rating_value"}
        return params

    @api.model
    def _get_allowed_message_update_params(self):
        # rating_value False removes the rating of the message being edited
        params = super()._get_allowed_message_update_params()
        if not self._rating_in_messages_allowed():
            params = params - {"rating_value"}
        return params

    # ------------------------------------------------------------
    # PORTAL
    # ------------------------------------------------------------

    def _compute_access_url(self):  # pylint: disable=missing-return
        super()._compute_access_url()
        for order in self:
            order.access_url = f"/my/crm_orders/{order.id}"

    def _portal_ensure_token(self):
        """The order's access token, created if none. A link with the token opens
        the order to whoever holds it: users give it out (the form's Share and
        Preview, get_portal_url) only for orders they may change, as the order's
        salespeople; the server gives it as the superuser (the e-mails to the
        customer, the portal's pages)."""
        if not self.env.su:
            self.check_access("write")
        # the access token is the server's: clients cannot write it
        return super(CrmOrder, with_server_values(self))._portal_ensure_token()

    @api.model
    def _portal_list_title(self, models=None):
        """The title of the orders in the portal (the entry on /my, the list, the
        breadcrumbs): "Orders", or "Customer Orders" when ``models`` (the
        registry by default) holds sale's orders, whose portal says "Orders"
        too."""
        models = self.env if models is None else models
        if "sale.order" in models:
            return self.env._("Customer Orders")
        return self.env._("Orders")

    def _get_access_action(self, access_uid=None, force_website=False):
        """Customers (portal users) who follow a link to an order land on its
        portal page, as for sales orders: without its access token when they
        read the order through the record rules (a link with the token would
        open the order to anyone, even after they leave the customer)."""
        self.ensure_one()
        user = self.env["res.users"].sudo().browse(access_uid or self.env.uid)
        if not force_website and not user.share:
            return super()._get_access_action(
                access_uid=access_uid, force_website=force_website
            )
        reads = not user._is_public() and self.with_user(user).has_access("read")
        return {
            "type": "ir.actions.act_url",
            "url": self.access_url if reads else self.get_portal_url(),
            "target": "self",
            "res_id": self.id,
        }

    def action_preview_crm_order(self):
        """The order as its customer sees it in the portal."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "target": "self",
            "url": self.get_portal_url(),
        }

    def _portal_receipt_status(self):
        """The completed status the current user may move the order to from the
        portal (the customer's confirmation of receipt), if any."""
        self.ensure_one()
        return (
            self.sudo()
            ._allowed_next_statuses()
            .filtered(lambda s: s.category == "done")[:1]
        )

    def _portal_check_receipt_confirmer(self):
        """Who confirms the receipt of the order from the portal: its customer, a
        portal user of the order's customer entity (who reads the order through
        the record rules; a shared link alone confirms nothing, as it names no
        one); a user of the company only on an order they may change, as on the
        form. Raises AccessError for anyone else."""
        self.ensure_one()
        if not self.env.user.share:
            self.check_access("write")
            return
        self._portal_check_customer_user(
            self.env._(
                "Only the customer of order %(order)s confirms its receipt.",
                order=self.sudo().name,
            )
        )

    def _portal_check_rater(self):
        """Who rates the order from its page in the portal: its customer, a portal
        user of the order's customer entity, as with the link of the Completed
        e-mail. Not a visitor with a shared link alone (it names no one; the
        salespeople who share it would rate in the customer's stead), nor a user
        of the company, who rates from the form (action_rate). Raises AccessError
        for anyone else."""
        self.ensure_one()
        self._portal_check_customer_user(
            self.env._(
                "Only the customer of order %(order)s rates it.",
                order=self.sudo().name,
            )
        )

    def _portal_check_customer_user(self, message):
        """Raises AccessError with ``message`` unless the current user is a portal
        user of the order's customer entity who reads the order."""
        user = self.env.user
        if not user.share or user._is_public():
            raise AccessError(message)
        self.check_access("read")
        if user.partner_id.commercial_partner_id != self.sudo().commercial_partner_id:
            raise AccessError(message)

    def _portal_can_confirm_receipt(self):
        """Whether the order's page offers its visitor to confirm the receipt: to
        its customer (a portal user), when the order awaits it. Users of the
        company previewing the page change the order from its form."""
        self.ensure_one()
        if not self.env.user.share:
            return False
        try:
            self._portal_check_receipt_confirmer()
        except AccessError:
            return False
        return bool(self._portal_receipt_status())

    def _portal_confirm_receipt(self):
        """The customer received the order: it moves to its completed status
        through the workflow engine, as a change by the current user, when a
        transition allows it to that user (the portal users in the default
        configuration). See _portal_check_receipt_confirmer for who confirms."""
        self.ensure_one()
        self._portal_check_receipt_confirmer()
        status = self._portal_receipt_status()
        if not status:
            raise UserError(
                self.env._(
                    "Order %(order)s is not awaiting your confirmation of receipt.",
                    order=self.sudo().name,
                )
            )
        # sudo: the customer cannot write orders; the engine checks the transition
        # against the user's own groups and names them in the history
        self.sudo()._change_status(status)

    def _portal_timeline(self):
        """The order's path for its customer: each status it entered and when;
        the users who moved it only when the company shows them."""
        self.ensure_one()
        order = self.sudo()
        show_users = order.company_id.crm_order_portal_show_users
        return [
            {
                "status": history.status_to_id.name,
                "date": history.date,
                "user": history.user_id.name if show_users else False,
            }
            for history in order.status_history_ids.sorted(lambda h: (h.date, h.id))
        ]

    def _check_rating_token(self, token):
        """A rating link rates the completed order it was issued for, nothing
        else."""
        rating = self.env["rating.rating"]
        if token:
            rating = rating.sudo().search([("access_token", "=", token)], limit=1)
        if rating and (
            len(self) != 1 or rating.res_model != self._name or rating.res_id != self.id
        ):
            raise UserError(self.env._("This rating link is for another record."))
        not_done = self.filtered(lambda o: o.status_category != "done")
        if not_done:
            raise UserError(
                self.env._(
                    "Only completed orders can be rated (%(orders)s).",
                    orders=", ".join(not_done.sudo().mapped("name")),
                )
            )

    def action_view_status_history(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Status History"),
            "res_model": "crm.order.status.history",
            "view_mode": "list",
            "domain": [("order_id", "=", self.id)],
        }

    def action_view_generated_orders(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Generated Orders"),
            "res_model": "crm.order",
            "view_mode": "list,form",
            "domain": [("origin_order_id", "=", self.id)],
            "context": {"create": False},
        }

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _change_status(self, status, vals=None, automatic=False, trigger=None):
        """The workflow engine: every status change goes through here, whoever
        makes it (the form, XML-RPC, an automation rule, a scheduled action, a hook
        of another module), with or without ``sudo()``.

        Checks the transition (the current user's transitions, or with
        ``automatic`` the transitions the system may make by itself) and the cancel
        reason, writes ``status`` with ``vals``, sets the server dates, writes one
        history row per order (naming the user and ``trigger``, the record that
        caused an automatic change), marks won opportunities and runs the status
        automation. Only the history import mode (``tools.history_import``) skips
        the checks and the automation, and may date the change (``date_status``).
        """
        importing = history_import(self.env)
        vals = {**(vals or {}), "status_id": status.id}
        self._lock_orders()
        moving = self.filtered(lambda o: o.status_id != status)
        if not importing:
            moving._check_transition(status, automatic=automatic)
            if status.category == "cancel":
                moving._check_cancel_reason(vals)
        vals = moving._prepare_cancel_values(status, vals)
        now = (
            fields.Datetime.to_datetime(vals.get("date_status"))
            or fields.Datetime.now()
        )
        backdated = moving.filtered(lambda o: o.date_status and o.date_status > now)
        if backdated:
            raise ValidationError(
                self.env._(
                    "A status change cannot be dated before the order's previous "
                    "change (%(orders)s).",
                    orders=", ".join(backdated.mapped("name")),
                )
            )
        previous = {
            order.id: (
                order.status_id,
                (now - order.date_status).total_seconds() / 3600
                if order.date_status
                else 0.0,
            )
            for order in moving
        }
        res = super().write(vals)
        moving._check_lines_for_status()
        moving.filtered(
            lambda o: previous[o.id][0].category == "cancel"
        )._check_reopened_new_customer_orders()
        moving._set_status_dates(now)
        moving._log_status_changes(previous, automatic=automatic, trigger=trigger)
        moving._on_status_changed()
        if not importing:
            moving._clear_status_activities(previous)
            moving._run_status_automation()
        return res

    def get_allowed_transitions(self):
        """The statuses the current user may move this order to, in status order:
        a list of ``{"id", "name", "category"}`` (for UI buttons and XML-RPC)."""
        self.ensure_one()
        return [
            {"id": status.id, "name": status.name, "category": status.category}
            for status in self._allowed_next_statuses()
        ]

    def _allowed_next_statuses(self, transitions=None, automatic=False):
        """The statuses the current user may move this order to, or with
        ``automatic`` the statuses the system may move it to by itself;
        ``transitions`` (all active transitions) saves a query per order when
        checking many."""
        self.ensure_one()
        if transitions is None:
            transitions = self.env["crm.order.transition"].sudo().search([])
        candidates = transitions.filtered(lambda t: t.from_status_id == self.status_id)
        if automatic:
            allowed = candidates._applies_to_system(self.order_type_id)
        else:
            allowed = candidates._applies_to(self.order_type_id, self.env.user)
        return allowed.to_status_id.filtered("active").sorted()

    def _check_transition(self, new_status, automatic=False):
        transitions = self.env["crm.order.transition"].sudo().search([])
        for order in self:
            allowed = order._allowed_next_statuses(transitions, automatic=automatic)
            if new_status not in allowed:
                raise UserError(
                    order._transition_refused_message(new_status, automatic)
                )

    def _transition_refused_message(self, new_status, automatic=False):
        self.ensure_one()
        allowed = self._allowed_next_statuses(automatic=automatic)
        allowed_text = (
            ", ".join(allowed.mapped("name")) if allowed else self.env._("none")
        )
        if new_status:
            return self.env._(
                "Order %(order)s cannot move from %(from_status)s to %(to_status)s. "
                "Allowed next statuses: %(allowed)s.",
                order=self.name,
                from_status=self.status_id.name,
                to_status=new_status.name,
                allowed=allowed_text,
            )
        return self.env._(
            "Order %(order)s has no such status to move to. "
            "Allowed next statuses: %(allowed)s.",
            order=self.name,
            allowed=allowed_text,
        )

    def _check_cancel_reason(self, vals):
        """Cancelled orders have a reason: given in ``vals`` or already on them."""
        if "cancel_reason_id" in vals:
            missing = self if not vals["cancel_reason_id"] else self.browse()
        else:
            missing = self.filtered(lambda o: not o.cancel_reason_id)
        if "status_id" not in vals:
            missing = missing.filtered(lambda o: o.status_category == "cancel")
        if missing:
            raise UserError(
                self.env._(
                    "Give a cancel reason to cancel %(orders)s.",
                    orders=", ".join(missing.mapped("name")),
                )
            )

    def _prepare_cancel_values(self, new_status, vals):
        """Orders leaving a cancelled status lose their cancel reason and note
        (their tracking keeps the history in the chatter)."""
        if new_status.category == "cancel" or not any(
            order.status_category == "cancel" for order in self
        ):
            return vals
        return {"cancel_reason_id": False, "cancel_note": False, **vals}

    def _check_initial_status(self):
        not_draft = self.filtered(lambda o: o.status_category != "draft")
        if not_draft:
            raise UserError(
                self.env._(
                    "A new order starts in a draft status; move it on afterwards. "
                    "(Orders: %(orders)s)",
                    orders=", ".join(not_draft.mapped("partner_id.display_name")),
                )
            )

    def _check_lines_for_status(self):
        empty = self.filtered(
            lambda o: o.status_category in ("open", "done") and not o.line_ids
        )
        if empty:
            raise UserError(
                self.env._(
                    "An order without lines cannot leave draft: add a product or "
                    "service to %(orders)s first.",
                    orders=", ".join(empty.mapped("name")),
                )
            )

    def _check_lines_editable(self):
        locked = self.filtered(lambda o: o.status_category in ("done", "cancel"))
        if locked:
            raise UserError(
                self.env._(
                    "The lines of completed or cancelled orders cannot be changed "
                    "(%(orders)s).",
                    orders=", ".join(locked.mapped("name")),
                )
            )

    def _check_rating_values(self, vals):
        """A rating is a whole number from 1 to 5 of a completed order; 0 removes
        it. A comment goes with a rating."""
        if "rating" in vals:
            rating = vals["rating"]
            rated = rating not in (0, False, None)
        else:
            rated = all(self.mapped("rating"))
        if vals.get("rating_comment") and not rated:
            raise UserError(self.env._("A comment goes with a rating from 1 to 5."))
        if "rating" not in vals or not rated:
            return
        if (
            not isinstance(rating, int)
            or isinstance(rating, bool)
            or rating not in RATINGS
        ):
            raise ValidationError(
                self.env._(
                    "A rating is a whole number from 1 to 5, not %(value)r.",
                    value=rating,
                )
            )
        not_done = self.filtered(lambda o: o.status_category != "done")
        if not_done:
            raise UserError(
                self.env._(
                    "Only completed orders can be rated (%(orders)s).",
                    orders=", ".join(not_done.mapped("name")),
                )
            )

    def _check_line_values(self, vals_list):
        """Wrong types in the values of new or updated lines are refused with the
        field's name before anything is written (see ``check_value_types``)."""
        Line = self.env["crm.order.line"]
        check_value_types(
            Line,
            [
                command[2]
                for vals in vals_list
                for command in vals.get("line_ids") or []
                if isinstance(command, list | tuple)
                and len(command) == 3
                and command[0] in (0, 1)
                and isinstance(command[2], dict)
            ],
        )

    def _check_opportunities(self, vals_list):
        """An order is linked to an opportunity the user can read (its completion
        may mark the opportunity won)."""
        lead_ids = {
            vals["opportunity_id"] for vals in vals_list if vals.get("opportunity_id")
        }
        if not lead_ids:
            return
        leads = self.env["crm.lead"].browse(lead_ids)
        leads.check_access("read")
        not_opportunities = leads.filtered(lambda lead: lead.type != "opportunity")
        if not_opportunities:
            raise UserError(
                self.env._(
                    "An order is linked to an opportunity, not to a lead (%(leads)s).",
                    leads=", ".join(not_opportunities.mapped("name")),
                )
            )

    def _check_closed_header(self, vals):
        """What a completed or cancelled order was (customer, date, type) is what
        the metrics counted: it no longer changes."""
        changed = [name for name in CLOSED_ORDER_FIELDS if name in vals]
        if not changed or history_import(self.env):
            return

        def differs(order, name):
            if order._fields[name].type == "many2one":
                return (vals[name] or False) != order[name].id
            return fields.Datetime.to_datetime(vals[name]) != order[name]

        closed = self.filtered(
            lambda o: o.status_category in ("done", "cancel")
            and any(differs(o, name) for name in changed)
        )
        if closed:
            raise UserError(
                self.env._(
                    "The customer, date and type of completed or cancelled orders "
                    "cannot be changed (%(orders)s).",
                    orders=", ".join(closed.mapped("name")),
                )
            )

    def _check_company_change(self, company_id):
        """An order changes company only in draft, and only to a company of the
        user's."""
        if history_import(self.env):
            return
        company = self.env["res.company"].browse(company_id)
        changing = self.filtered(lambda o: o.company_id != company)
        if not changing:
            return
        not_draft = changing.filtered(lambda o: o.status_category != "draft")
        if not_draft:
            raise UserError(
                self.env._(
                    "The company of an order cannot change once it has left draft "
                    "(%(orders)s).",
                    orders=", ".join(not_draft.mapped("name")),
                )
            )
        if company not in self.env.user.company_ids:
            raise UserError(
                self.env._(
                    "You cannot move orders to company %(company)s: you are not "
                    "allowed in it.",
                    company=company.sudo().exists().name or company_id,
                )
            )

    def _set_status_dates(self, now, entered=True):  # pylint: disable=missing-return
        """Record when orders entered their status (unless ``entered`` is False, at
        creation), when they were first confirmed and when they were completed: the
        dates that metrics are measured from. One write per set of dates."""
        groups = defaultdict(lambda: self.browse())
        for order in self:
            keys = ["date_status"] if entered else []
            if not order.date_confirmed and order.status_category in ("open", "done"):
                keys.append("date_confirmed")
            if order.status_category == "done":
                keys.append("date_done")
            if keys:
                groups[tuple(keys)] |= order
        for keys, orders in groups.items():
            super(CrmOrder, orders).write(dict.fromkeys(keys, now))

    def _log_status_changes(self, previous, automatic=False, trigger=None):
        """Write one history row per order; ``previous`` maps an order id to its
        previous status and the hours spent in it. The row names who made the
        change (the current user, or the user named by a history import), whether
        the system made it and the record that triggered it."""
        if history_import(self.env):
            change_type = "import"
        elif automatic:
            change_type = "system"
        else:
            change_type = "user"
        trigger_ref = f"{trigger._name},{trigger.id}" if trigger else False
        user_id = history_import_user_id(self.env)
        self.env["crm.order.status.history"].sudo().create(
            [
                {
                    "order_id": order.id,
                    "status_from_id": previous[order.id][0].id,
                    "status_to_id": order.status_id.id,
                    "user_id": user_id,
                    "change_type": change_type,
                    "trigger_ref": trigger_ref,
                    "date": order.date_status,
                    "duration_hours": previous[order.id][1],
                    "processing_hours": (
                        (order.date_status - order.date_confirmed).total_seconds()
                        / 3600
                        if order.status_category == "done" and order.date_confirmed
                        else None
                    ),
                }
                for order in self
            ]
        )

    def _on_status_changed(self):
        """Hook run after orders changed status (won opportunities)."""
        done = self.filtered(
            lambda o: o.status_category == "done"
            and o.opportunity_id
            and o.company_id.crm_order_mark_won
        )
        # The opportunity may belong to another salesperson: what the user may not
        # read is read and updated with sudo() (access, not a rule).
        leads = done.opportunity_id.sudo().filtered(
            lambda lead: lead.active and not lead.stage_id.is_won
        )
        if leads:
            leads.action_set_won()

    def _run_status_automation(self):
        """Run the automation of the status the orders just entered (at creation,
        their first status): schedule its activity, one batch per status. Its
        e-mail goes through Odoo's tracking (``_track_template``). History imports
        do not run it (see ``tools.history_import``)."""
        today = fields.Date.context_today(self)
        for status, orders in self.grouped("status_id").items():
            if status.activity_type_id:
                deadline = fields.Date.add(today, days=status.activity_deadline_days)
                if status.activity_user_type == "user":
                    orders_by_user = {status.activity_user_id: orders}
                else:
                    orders_by_user = orders.grouped(lambda o: o._activity_user())
                for user, user_orders in orders_by_user.items():
                    if not user:
                        continue  # nobody of the company to do it
                    user_orders.activity_schedule(
                        activity_type_id=status.activity_type_id.id,
                        summary=status.activity_summary or "",
                        date_deadline=deadline,
                        user_id=user.id,
                    )

    def _activity_user(self):
        """Who does the status's activity of an order: its salesperson, else its
        team's leader, else the user who moved it when that is an employee (not a
        customer confirming in the portal, nor a system change's public user)."""
        self.ensure_one()
        user = self.user_id or self.team_id.user_id
        if not user and not self.env.user.share:
            user = self.env.user
        return user

    def _clear_status_activities(self, previous):
        """The activities a status's automation scheduled end with the status: an
        order leaving it loses them (those that users planned stay). ``previous``
        maps an order id to its previous status."""
        Activity = self.env["mail.activity"].sudo()
        for order in self:
            activity_type = previous[order.id][0].activity_type_id
            if activity_type:
                Activity.search(
                    [
                        ("res_model", "=", self._name),
                        ("res_id", "=", order.id),
                        ("activity_type_id", "=", activity_type.id),
                        ("automated", "=", True),
                    ]
                ).unlink()

    def _track_template(self, changes):
        """The e-mail of the status an order entered, through Odoo's stage-template
        mechanism (as ``project.task`` sends its stage mails): posted when the
        status change is tracked, so ``tracking_disable`` and the mail settings of
        other modules apply; queued, sent by the mail queue. Several changes in
        one transaction send the e-mail of the last status only. History imports
        send nothing."""
        res = super()._track_template(changes)
        order = self[0]
        template = order.status_id.mail_template_id
        if "status_id" not in changes or not template or history_import(self.env):
            return res
        authorship = order._status_mail_authorship(template)
        if authorship is not None:
            res["status_id"] = (
                template,
                {
                    "subtype_xmlid": "mail.mt_comment",
                    "email_layout_xmlid": STATUS_MAIL_LAYOUT,
                    "force_send": False,
                    **authorship,
                },
            )
        return res

    def _notify_get_recipients_groups(self, message, model_description, msg_vals=None):
        """The status e-mail of a completed order that is not rated yet asks its
        customer for a rating: the customer's group gets the rating token, which
        the layout (STATUS_MAIL_LAYOUT) turns into the rating links of that
        e-mail only. The token is the customer's credential: it is never in the
        message body, which the chatter keeps for every reader of the order."""
        groups = super()._notify_get_recipients_groups(
            message, model_description, msg_vals=msg_vals
        )
        if len(self) != 1:
            return groups
        layout = (msg_vals or {}).get("email_layout_xmlid") or (
            message.email_layout_xmlid if message else False
        )
        order = self.sudo()
        if (
            layout != STATUS_MAIL_LAYOUT
            or order.status_category != "done"
            or order.rating
        ):
            return groups
        for name, _recipients, data in groups:
            if name == "portal_customer":
                data["crm_order_rating_token"] = order._rating_get_access_token()
        return groups

    @api.model
    def _reset_completed_mail_with_rating_token(self):
        """Upgrade from versions whose Completed e-mail rendered the customer's
        rating token in its body, which the chatter keeps for every reader of
        the order (and which went to the order's followers):

        - the links of those e-mails are taken out of the messages the chatter
          kept (the customers' own e-mails keep theirs);
        - the template is reset to the one shipped, whose links come from the
          layout, in the customer's e-mail only; a template edited since its
          installation is left as it is, with a warning to edit it."""
        template = self.env.ref(
            "crm_order_management.mail_template_order_completed",
            raise_if_not_found=False,
        )
        if not template or "_rating_get_access_token" not in (template.body_html or ""):
            return
        link = r'href="[^"]*/rate/[0-9a-f]{32}/[0-9]+"'
        self.env["mail.message"].flush_model(["body"])
        self.env.cr.execute(
            SQL(
                "UPDATE mail_message SET body = regexp_replace(body, %s, %s, 'g') "
                "WHERE model = %s AND body ~ %s",
                link,
                'href="#"',
                self._name,
                link,
            )
        )
        self.env["mail.message"].invalidate_model(["body"])
        if template.write_date != template.create_date:
            _logger.warning(
                "The e-mail template %s renders the customer's rating token in "
                "its body, which every reader of the order's chatter sees: it was "
                "edited, so it is not reset; remove its rating links (the layout "
                "of the status e-mails adds them to the customer's e-mail).",
                template.name,
            )
            return
        template.reset_template()
        _logger.info(
            "The e-mail template %s was reset: its body showed the customer's "
            "rating token to every reader of the order's chatter.",
            template.name,
        )

    def _status_mail_authorship(self, template):
        """Who sends the status e-mail: the template names the salesperson; when
        the current user has no e-mail address, the salesperson or else the
        company sends it. A status change never fails for want of a sender: with
        none, the chatter says why the e-mail was not sent (None)."""
        self.ensure_one()
        if self.env.user.email:
            return {}
        sender = self._status_mail_sender()
        if sender:
            return {"author_id": sender.id, "email_from": sender.email_formatted}
        self._message_log(
            body=self.env._(
                "The e-mail %(template)s was not sent: neither you, the "
                "salesperson nor the company has an e-mail address.",
                template=template.name,
            )
        )
        return None

    def _status_mail_sender(self):
        """The salesperson, else the company, whichever has an e-mail address."""
        self.ensure_one()
        for partner in (self.user_id.partner_id, self.company_id.partner_id):
            if partner.email:
                return partner
        return self.env["res.partner"]

    @api.model
    def _default_order_types(self, partners, company):
        """Map each partner id to the type its next order in ``company`` gets by
        default: the customer's default type, else Returning customer when its
        commercial entity already has an order of the company that is not
        cancelled, else New customer (another company's orders are not seen)."""
        # Read whoever creates the order (the fields are the sales team's); only the
        # fields needed here: a partner has a hundred more.
        partners = partners.sudo()
        partners.fetch(["commercial_partner_id", "crm_order_type_id"])
        entities = partners.commercial_partner_id
        entities.fetch(["crm_order_type_id"])
        returning = set()
        if entities:
            groups = self.sudo()._read_group(
                [
                    ("commercial_partner_id", "in", entities.ids),
                    ("company_id", "=", company.id),
                    ("status_category", "!=", "cancel"),
                ],
                ["commercial_partner_id"],
            )
            returning = {entity.id for (entity,) in groups}
        OrderType = self.env["crm.order.type"]
        # Archived types are not given to new orders.
        new_type = self._order_type_by_xmlid("order_type_new")
        returning_type = self._order_type_by_xmlid("order_type_returning")
        result = {}
        for partner in partners:
            entity = partner.commercial_partner_id
            result[partner.id] = (
                partner.crm_order_type_id
                or entity.crm_order_type_id
                or (returning_type if entity.id in returning else new_type)
                or OrderType
            )
        return result

    @api.model
    def _order_type_by_xmlid(self, name):
        """A type delivered by the addon, if active. ir.model.data is cached: no
        query, unlike env.ref()."""
        type_id = self.env["ir.model.data"]._xmlid_to_res_id(
            f"crm_order_management.{name}", False
        )
        return self.env["crm.order.type"].browse(type_id).filtered("active")

    def _lock_orders(self, partner_ids=()):
        """Changes of one order, and of one customer's orders (its stored profile
        follows their statuses, its first order is its New Customer order), one
        transaction at a time: the orders' rows and their customers' (and those of
        ``partner_ids``, customers the orders are given to) are locked first, so
        that a concurrent change or a concurrent new order of these customers
        waits for this one, then fails with a serialization error that Odoo
        retries (on retry it sees this change). The conflict shows in this quiet
        statement, not as a bad query on a later update."""
        if not self.ids:
            return
        # what the caller may not change is refused before anything is locked (and
        # before any read with sudo() fills the cache with what it may not read)
        self.check_access("write")
        self.env.cr.execute(
            SQL(
                "SELECT partner_id FROM crm_order WHERE id = ANY(%s) ORDER BY id "
                "FOR NO KEY UPDATE",
                sorted(self.ids),
            ),
            log_exceptions=False,
        )
        self._lock_customers(
            {partner_id for (partner_id,) in self.env.cr.fetchall()} | set(partner_ids)
        )

    def _lock_customers(self, partner_ids):
        """Create the orders of one customer one transaction at a time: the type of
        an order and the customer's stored profile (loyalty, satisfaction) depend
        on the customer's other orders. A no-op update of the customers' rows and
        of their commercial entities: a concurrent transaction creating an order
        for the same customer waits for this one, then fails with a serialization
        error that Odoo retries (on retry it sees this order: a second first order
        becomes a returning customer's). Not logged as a bad query, unlike a
        conflict on the profile's update later in the transaction."""
        if not partner_ids:
            return
        partners = self.env["res.partner"].browse(partner_ids).sudo()
        ids = sorted(set(partners.ids) | set(partners.commercial_partner_id.ids))
        self.env.cr.execute(
            SQL("UPDATE res_partner SET id = id WHERE id = ANY(%s)", ids),
            log_exceptions=False,
        )

    @api.model
    def _prepare_order_values(self, vals_list):
        """Fill the type and the number of new orders before they are inserted."""
        untyped = [
            v for v in vals_list if not v.get("order_type_id") and v.get("partner_id")
        ]
        if untyped:
            Partner = self.env["res.partner"]
            # (values, company id) of each order without type
            orders = [
                (vals, vals.get("company_id") or self.env.company.id)
                for vals in untyped
            ]
            types = {}
            for company_id in {company_id for _vals, company_id in orders}:
                partner_ids = {v["partner_id"] for v, c in orders if c == company_id}
                types[company_id] = self._default_order_types(
                    Partner.browse(partner_ids),
                    self.env["res.company"].browse(company_id),
                )
            # A new customer has one new customer's order: the first of the batch,
            # and, across transactions, the first to commit (_lock_customers).
            new_type = self._order_type_by_xmlid("order_type_new")
            returning_type = self._order_type_by_xmlid("order_type_returning")
            first_orders = set()
            for vals, company_id in orders:
                partner = Partner.browse(vals["partner_id"])
                order_type = types[company_id][partner.id]
                if new_type and order_type == new_type:
                    entity = (company_id, partner.commercial_partner_id.id)
                    if entity in first_orders:
                        order_type = returning_type or new_type
                    first_orders.add(entity)
                vals["order_type_id"] = order_type.id
        self._lock_customers(
            {vals["partner_id"] for vals in vals_list if vals.get("partner_id")}
        )
        status = None
        for vals in vals_list:
            if not vals.get("status_id"):
                status = status or self._default_status_id()
                vals["status_id"] = status.id
        placeholder = {NEW_NAME, self.env._("New")}
        to_number = defaultdict(list)
        for vals in vals_list:
            if not vals.get("name") or vals["name"] in placeholder:
                company_id = vals.get("company_id") or self.env.company.id
                to_number[vals.get("order_type_id"), company_id].append(vals)
        OrderType = self.env["crm.order.type"].sudo()
        for (type_id, company_id), type_vals in to_number.items():
            if not type_id:
                continue  # refused below: the type is required
            sequence = OrderType.browse(type_id)._sequence_for_company(
                self.env["res.company"].browse(company_id)
            )
            if not sequence:
                raise UserError(
                    self.env._(
                        "Order type %(type)s has no numbering sequence: give it one "
                        "in its settings.",
                        type=OrderType.browse(type_id).display_name,
                    )
                )
            dates = [
                fields.Datetime.to_datetime(v.get("date_order"))
                or fields.Datetime.now()
                for v in type_vals
            ]
            for vals, number in zip(
                type_vals, self._next_numbers(sequence, dates), strict=True
            ):
                vals["name"] = number

    @api.model
    def _next_numbers(self, sequence, dates):
        """Draw one number of ``sequence`` per date (used for the prefix's date
        placeholders), with one query for a whole batch on standard sequences."""
        if sequence.implementation == "standard" and not sequence.use_date_range:
            self.env.cr.execute(
                SQL(
                    "SELECT nextval(%s) FROM generate_series(1, %s)",
                    "ir_sequence_%03d" % sequence.id,
                    len(dates),
                )
            )
            numbers = [number for (number,) in self.env.cr.fetchall()]
            return [
                sequence.with_context(ir_sequence_date=date).get_next_char(number)
                for number, date in zip(numbers, dates, strict=True)
            ]
        return [
            sequence.with_context(ir_sequence_date=date).next_by_id(sequence_date=date)
            for date in dates
        ]

    # ------------------------------------------------------------
    # RECURRING ORDERS
    # ------------------------------------------------------------

    @api.model
    def _cron_generate_recurring_orders(self, batch_size=RECURRENCE_BATCH_SIZE):
        """Generate the orders of the recurring orders that are due, catching up
        on every missed occurrence. One batch of recurrences per call: the cron
        runner commits and calls again while some remain. Recurrences are locked
        (``FOR UPDATE SKIP LOCKED``): a run that overlaps another one skips the
        recurrences the other is generating, and the unique occurrence constraint
        is the last guard against duplicates."""
        today = fields.Date.context_today(self)
        Recurrence = self.env["crm.order.recurrence"].sudo()
        batch = Recurrence._lock_due(today, batch_size)
        if not batch:
            self.env["ir.cron"]._notify_progress(done=0, remaining=0)
            return 0
        remaining = max(Recurrence._count_due(today) - len(batch), 0)
        # What another transaction committed before the lock: read it again.
        batch.invalidate_recordset()
        templates = batch.order_id
        templates.invalidate_recordset()
        created = self.browse()
        for template in templates:
            created |= template._generate_recurring_orders_safely(today)
        self.env["ir.cron"]._notify_progress(done=len(batch), remaining=remaining)
        return len(created)

    def _generate_recurring_orders_safely(self, today):
        """Generate the orders of one recurring order in a savepoint: a failure,
        whatever it is, is logged and noted in its chatter, and the other
        recurring orders go on (one broken order would otherwise roll back the
        whole batch, picked again on every run). Only a conflict with a
        concurrent transaction ends the run: this transaction would meet it
        again; the next run takes the batch up."""
        self.ensure_one()
        try:
            with self.env.cr.savepoint():
                return self._generate_recurring_orders(today)
        except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
            raise
        except Exception as error:  # whatever one recurring order raises
            if isinstance(error, UserError):
                # a rule of the data (a type without numbering...): the users fix it
                log = _logger.warning
            else:
                log = _logger.exception
            log(
                "Recurring order %s (id %s) could not generate its orders: %s",
                self.name,
                self.id,
                error,
            )
            self.message_post(
                body=self.env._(
                    "The scheduled action could not generate the next orders of "
                    "this recurring order: %(error)s",
                    error=str(error),
                ),
            )
            return self.browse()

    def _generate_recurring_orders(self, today):
        """Create the orders of every occurrence of these templates dated on or
        before ``today``, in date order (at most the last RECURRENCE_CATCH_UP),
        and advance their next dates; the recurrence ends (next date emptied)
        after its end date or its count."""
        generated = self._read_group(
            [("origin_order_id", "in", self.ids)],
            ["origin_order_id", "recurrence_occurrence_date:day"],
        )
        existing = defaultdict(set)
        for origin, occurrence in generated:
            existing[origin.id].add(fields.Date.to_date(occurrence))
        vals_list = []
        for template in self.filtered("recurrence_id"):
            recurrence = template.recurrence_id
            due, next_date = recurrence._due_occurrences(today, existing[template.id])
            skipped, due = due[:-RECURRENCE_CATCH_UP], due[-RECURRENCE_CATCH_UP:]
            if skipped:
                template._note_skipped_occurrences(skipped)
            vals_list += [template._prepare_recurring_order_values(day) for day in due]
            if recurrence.next_date != next_date:
                recurrence.next_date = next_date
        # Ordered by template, then by date: numbers follow the occurrences. The
        # generated orders name their template and occurrence, fields the server
        # owns.
        return with_server_values(self).create(vals_list).with_env(self.env)

    def _note_skipped_occurrences(self, skipped):
        self.ensure_one()
        self.message_post(
            body=self.env._(
                "The scheduled action was %(count)s occurrences behind (%(first)s to "
                "%(last)s): it generated the last %(kept)s only.",
                count=len(skipped) + RECURRENCE_CATCH_UP,
                first=skipped[0],
                last=skipped[-1],
                kept=RECURRENCE_CATCH_UP,
            ),
        )

    def _prepare_recurring_order_values(self, occurrence):
        self.ensure_one()
        return {
            "partner_id": self.partner_id.id,
            "order_type_id": self.order_type_id.id,
            "user_id": self.user_id.id,
            "team_id": self.team_id.id,
            "company_id": self.company_id.id,
            "date_order": datetime.combine(occurrence, self.date_order.time()),
            "origin_order_id": self.id,
            "recurrence_occurrence_date": occurrence,
            "line_ids": [
                fields.Command.create(
                    {
                        "sequence": line.sequence,
                        "product_id": line.product_id.id,
                        "name": line.name,
                        "quantity": line.quantity,
                        "product_uom_id": line.product_uom_id.id,
                        "price_unit": line.price_unit,
                        "discount": line.discount,
                    }
                )
                for line in self.line_ids
            ],
        }

    # ------------------------------------------------------------
    # DEMO DATA
    # ------------------------------------------------------------

    @api.model
    def _demo_log_history(self):
        """Tell the demo orders' status history in their chatters, as Odoo's
        tracking would have told it had the orders been made at their dates. The
        demo is loaded with tracking disabled (its messages would be dated at the
        installation): for each row of an order's history, oldest first, its
        creation message ("Customer Order created") or a tracking of the status
        (a mail.tracking.value on status_id, as ``_message_track`` logs it), dated
        at the row's date and written by the partner of the user who made the
        change. Orders whose chatter already has a logged message are left as they
        are, so that calling it again changes nothing. Called by the demo data."""
        demo_ids = (
            self.env["ir.model.data"]
            .sudo()
            .search(
                [("module", "=", "crm_order_management"), ("model", "=", self._name)]
            )
            .mapped("res_id")
        )
        orders = self.browse(demo_ids).sudo().exists()
        logged = {
            res_id
            for [res_id] in self.env["mail.message"]
            .sudo()
            ._read_group(
                [
                    ("model", "=", self._name),
                    ("res_id", "in", orders.ids),
                    ("message_type", "=", "notification"),
                ],
                ["res_id"],
            )
        }
        status_field = self.fields_get(
            ["status_id"], attributes=("string", "type", "selection", "currency_field")
        )["status_id"]
        Tracking = self.env["mail.tracking.value"]
        for order in orders.sorted("id"):
            if order.id in logged:
                continue
            for row in order.status_history_ids.sorted(lambda h: (h.date, h.id)):
                author = row.user_id.partner_id.id
                if row.status_from_id:
                    values = Tracking._create_tracking_values(
                        row.status_from_id,
                        row.status_to_id,
                        "status_id",
                        status_field,
                        order,
                    )
                    message = order._message_log(
                        author_id=author,
                        tracking_value_ids=[fields.Command.create(values)],
                    )
                else:
                    message = order._message_log(
                        body=order._creation_message(), author_id=author
                    )
                message.date = row.date
