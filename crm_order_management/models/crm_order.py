# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from ..validation import check_value_types

NEW_NAME = "New"
# Set by the server when the status changes; only superuser imports (demo data,
# migrations of historical orders) may give them.
SERVER_DATES = ("date_status", "date_confirmed", "date_done", "rating_date")
RATINGS = range(1, 6)


class CrmOrder(models.Model):
    _name = "crm.order"
    _description = "Customer Order"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_order desc, id desc"
    _check_company_auto = True
    _rec_names_search = ["name", "partner_id.name"]

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

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
        related="company_id.currency_id", string="Currency", store=True
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
    status_id = fields.Many2one(
        "crm.order.status",
        required=True,
        default=lambda self: self._default_status_id(),
        tracking=True,
        index=True,
        copy=False,
        ondelete="restrict",
        group_expand="_read_group_status_ids",
    )
    status_category = fields.Selection(
        related="status_id.category",
        store=True,
        index=True,
        string="Status Category",
    )
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
        check_company=True,
        index="btree_not_null",
        domain="[('type', '=', 'opportunity')]",
    )
    note = fields.Html(string="Internal Note")
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
    rating = fields.Integer(
        string="Customer Rating",
        default=0,
        copy=False,
        tracking=True,
        aggregator=False,
        help="The customer's rating of the completed order, from 1 (very poor) to 5 "
        "(excellent); 0 when not rated.",
    )
    rating_comment = fields.Text(copy=False)
    rating_date = fields.Datetime(
        string="Rated On",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="When the customer gave the rating.",
    )

    _sql_constraints = [
        (
            "rating_range",
            "CHECK (rating >= 0 AND rating <= 5)",
            "A rating is a whole number from 1 to 5 (0: not rated).",
        ),
    ]

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
        types = self._default_order_types(orders.partner_id)
        for order in orders:
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

    @api.depends("line_ids")
    def _compute_line_count(self):
        for order in self:
            order.line_count = len(order.line_ids)

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        self._check_value_types(vals_list)
        self._check_server_dates(vals_list)
        if not self.env.su and any(vals.get("rating") for vals in vals_list):
            raise UserError(self.env._("Only completed orders can be rated."))
        # A rating given at creation goes through write(), like any rating: checked
        # (completed orders only, 1 to 5) and dated.
        ratings = [
            {key: vals.pop(key) for key in ("rating", "rating_date") if key in vals}
            if vals.get("rating")
            else {}
            for vals in vals_list
        ]
        self._prepare_order_values(vals_list)
        orders = super().create(vals_list)
        if not self.env.su:
            orders._check_initial_status()
        orders._check_lines_for_status()
        for order in orders:
            order._set_status_dates(order.date_status, entered=False)
        orders._log_status_changes(
            {order.id: (self.env["crm.order.status"], 0.0) for order in orders}
        )
        for order, rating_vals in zip(orders, ratings, strict=True):
            if rating_vals:
                order.write(rating_vals)
        return orders

    def write(self, vals):
        self._check_value_types([vals])
        self._check_server_dates([vals])
        if "rating" in vals:
            vals = self._prepare_rating_values(vals)
        if "status_id" not in vals:
            return super().write(vals)
        new_status = self.env["crm.order.status"].browse(vals["status_id"]).exists()
        if not new_status:
            raise ValidationError(
                self.env._("Status %(id)s does not exist.", id=vals["status_id"])
            )
        moving = self.filtered(lambda o: o.status_id != new_status)
        if not self.env.su:
            moving._check_transition(new_status)
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
        moving._set_status_dates(now)
        moving._log_status_changes(previous)
        moving._on_status_changed()
        return res

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

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_set_status(self, status_id):
        """Move the orders to ``status_id`` (an id): the entry point for buttons and
        XML-RPC clients. Refused with the allowed statuses when not allowed."""
        self.write({"status_id": status_id})
        return True

    def action_next_status(self):
        self.ensure_one()
        if not self.next_status_id:
            raise UserError(self._transition_refused_message(None))
        return self.action_set_status(self.next_status_id.id)

    def action_cancel(self):
        self.ensure_one()
        if not self.cancel_status_id:
            raise UserError(self._transition_refused_message(None))
        return self.action_set_status(self.cancel_status_id.id)

    def action_rate(self, rating, comment=False):
        """Record the customer's rating (1 to 5) of completed orders, for buttons
        and XML-RPC clients."""
        self.write({"rating": rating, "rating_comment": comment})
        return True

    def action_view_status_history(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Status History"),
            "res_model": "crm.order.status.history",
            "view_mode": "list",
            "domain": [("order_id", "=", self.id)],
        }

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def get_allowed_transitions(self):
        """The statuses the current user may move this order to, in status order:
        a list of ``{"id", "name", "category"}`` (for UI buttons and XML-RPC)."""
        self.ensure_one()
        return [
            {"id": status.id, "name": status.name, "category": status.category}
            for status in self._allowed_next_statuses()
        ]

    def _allowed_next_statuses(self, transitions=None):
        """The statuses the current user may move this order to; ``transitions``
        (all active transitions) saves a query per order when checking many."""
        self.ensure_one()
        if transitions is None:
            transitions = self.env["crm.order.transition"].sudo().search([])
        allowed = transitions.filtered(
            lambda t: t.from_status_id == self.status_id
        )._applies_to(self.order_type_id, self.env.user)
        return allowed.to_status_id.filtered("active").sorted()

    def _check_transition(self, new_status):
        transitions = self.env["crm.order.transition"].sudo().search([])
        for order in self:
            if new_status not in order._allowed_next_statuses(transitions):
                raise UserError(order._transition_refused_message(new_status))

    def _transition_refused_message(self, new_status):
        self.ensure_one()
        allowed = self._allowed_next_statuses()
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

    def _prepare_rating_values(self, vals):
        """Check a rating and date it: only completed orders are rated, 1 to 5."""
        rating = vals["rating"]
        if rating in (0, False, None):
            return {**vals, "rating": 0, "rating_date": False}
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
        return {"rating_date": fields.Datetime.now(), **vals}

    def _check_value_types(self, vals_list):
        """Wrong types in the order's values and in its new or updated lines are
        refused with the field's name (see ``check_value_types``)."""
        check_value_types(self, vals_list)
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

    def _check_server_dates(self, vals_list):
        if self.env.su:
            return
        for vals in vals_list:
            given = [name for name in SERVER_DATES if name in vals]
            if given:
                raise UserError(
                    self.env._(
                        "These dates are set by the server when the order changes "
                        "status; they cannot be written: %(fields)s.",
                        fields=", ".join(self._fields[name].string for name in given),
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

    def _log_status_changes(self, previous):
        """Write one history row per order; ``previous`` maps an order id to its
        previous status and the hours spent in it."""
        self.env["crm.order.status.history"].sudo().create(
            [
                {
                    "order_id": order.id,
                    "status_from_id": previous[order.id][0].id,
                    "status_to_id": order.status_id.id,
                    "user_id": self._status_change_user_id(),
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

    def _status_change_user_id(self):
        """Who made the change: the current user; superuser imports of historical
        orders (and the demo data) may name the user in the context."""
        if self.env.su and self.env.context.get("crm_order_status_user_id"):
            return self.env.context["crm_order_status_user_id"]
        return self.env.uid

    def _on_status_changed(self):
        """Hook run after orders changed status (won opportunities)."""
        done = self.filtered(
            lambda o: o.status_category == "done"
            and o.opportunity_id
            and o.company_id.crm_order_mark_won
        )
        leads = done.opportunity_id.filtered(
            lambda lead: lead.active and not lead.stage_id.is_won
        )
        if leads:
            # An automation of the order's completion: the opportunity may belong to
            # another salesperson.
            leads.sudo().action_set_won()

    @api.model
    def _default_order_types(self, partners):
        """Map each partner id to the type its next order gets by default: the
        customer's default type, else Returning customer when its commercial entity
        already has an order that is not cancelled, else New customer."""
        # Only the fields needed here: a partner has a hundred more.
        partners.fetch(["commercial_partner_id", "crm_order_type_id"])
        entities = partners.commercial_partner_id
        entities.fetch(["crm_order_type_id"])
        returning = set()
        if entities:
            groups = self.sudo()._read_group(
                [
                    ("commercial_partner_id", "in", entities.ids),
                    ("status_category", "!=", "cancel"),
                ],
                ["commercial_partner_id"],
            )
            returning = {entity.id for (entity,) in groups}
        xmlid_to_id = self.env["ir.model.data"]._xmlid_to_res_id
        OrderType = self.env["crm.order.type"]
        # ir.model.data is cached: no query, unlike env.ref(); archived types are
        # not given to new orders.
        new_type = OrderType.browse(
            xmlid_to_id("crm_order_management.order_type_new", False)
        ).filtered("active")
        returning_type = OrderType.browse(
            xmlid_to_id("crm_order_management.order_type_returning", False)
        ).filtered("active")
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
    def _prepare_order_values(self, vals_list):
        """Fill the type and the number of new orders before they are inserted."""
        untyped = [
            v for v in vals_list if not v.get("order_type_id") and v.get("partner_id")
        ]
        if untyped:
            partners = self.env["res.partner"].browse(
                {v["partner_id"] for v in untyped}
            )
            types = self._default_order_types(partners)
            for vals in untyped:
                vals["order_type_id"] = types[vals["partner_id"]].id
        status = None
        for vals in vals_list:
            if not vals.get("status_id"):
                status = status or self._default_status_id()
                vals["status_id"] = status.id
        placeholder = {NEW_NAME, self.env._("New")}
        to_number = defaultdict(list)
        for vals in vals_list:
            if not vals.get("name") or vals["name"] in placeholder:
                to_number[vals.get("order_type_id")].append(vals)
        OrderType = self.env["crm.order.type"].sudo()
        for type_id, type_vals in to_number.items():
            sequence = OrderType.browse(type_id).sequence_id
            if not sequence:
                continue
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
