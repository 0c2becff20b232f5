# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models, tools
from odoo.exceptions import UserError, ValidationError

from ..tools import check_client_values

STATUS_CATEGORIES = [
    ("draft", "Draft"),
    ("open", "In progress"),
    ("done", "Done"),
    ("cancel", "Cancelled"),
]


class CrmOrderStatus(models.Model):
    _name = "crm.order.status"
    _description = "Order Status"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    category = fields.Selection(
        STATUS_CATEGORIES,
        required=True,
        default="open",
        help="What the status means for the order's life cycle, whatever its name: "
        "draft (being prepared), in progress, done (completed) or cancelled. "
        "Metrics and rules rely on it.",
    )
    fold = fields.Boolean(
        string="Folded in Kanban",
        help="Show this status as a folded column in the kanban view of orders.",
    )
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)
    # Automation: what happens when an order enters the status
    activity_type_id = fields.Many2one(
        "mail.activity.type",
        string="Activity",
        domain="['|', ('res_model', '=', False), ('res_model', '=', 'crm.order')]",
        help="Activity scheduled on the orders that enter this status.",
    )
    activity_summary = fields.Char(
        translate=True,
        help="Summary of the activity; the activity type's default summary when empty.",
    )
    activity_deadline_days = fields.Integer(
        string="Activity Deadline (Days)",
        help="Days between the order's entry into this status and the activity's "
        "deadline (0: the same day).",
    )
    activity_user_type = fields.Selection(
        [("salesperson", "Salesperson"), ("user", "Specific user")],
        string="Activity Assigned To",
        default="salesperson",
        required=True,
        help="Salesperson: the order's salesperson (the user who changes the status "
        "when the order has none). Specific user: the user below.",
    )
    activity_user_id = fields.Many2one(
        "res.users",
        domain="[('share', '=', False)]",
    )
    mail_template_id = fields.Many2one(
        "mail.template",
        string="Email Template",
        domain="[('model', '=', 'crm.order')]",
        help="Email sent to the customer of the orders that enter this status.",
    )

    _sql_constraints = [
        (
            "activity_deadline_days_positive",
            "CHECK(activity_deadline_days >= 0)",
            "The activity deadline cannot be a negative number of days.",
        ),
    ]

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("activity_type_id", "activity_user_type", "activity_user_id")
    def _check_activity_user(self):
        for status in self:
            if (
                status.activity_type_id
                and status.activity_user_type == "user"
                and not status.activity_user_id
            ):
                raise ValidationError(
                    self.env._(
                        "Choose the user to assign the activity of status "
                        "%(status)s to.",
                        status=status.name,
                    )
                )

    @api.constrains("mail_template_id")
    def _check_mail_template_model(self):
        for status in self:
            if status.mail_template_id and status.mail_template_id.model != "crm.order":
                raise ValidationError(
                    self.env._(
                        "The email template of status %(status)s must be a template "
                        "of customer orders.",
                        status=status.name,
                    )
                )

    def _automatic_next_fields(self):
        """The fields naming the status an order of this status moves on to by
        itself (the glue addons: when paid, when delivered). An order that enters
        such a status already paid or delivered moves on at once."""
        return []

    def _check_automatic_loop(self):
        """Refuse statuses that orders would move on through by themselves round
        and round: a loop of the statuses named by the fields of
        _automatic_next_fields, whatever fields it mixes."""
        names = self._automatic_next_fields()
        done = self.browse()
        for start in self:
            # depth-first, from each status, along every automatic next status
            path, todo = [], [(start, 0)]
            while todo:
                status, depth = todo.pop()
                del path[depth:]
                if status in path:
                    loop = path[path.index(status) :] + [status]
                    raise ValidationError(
                        self.env._(
                            "Orders would move on by themselves round a loop of "
                            "statuses: %(loop)s. Clear the status they move on to "
                            "on one of them.",
                            loop=" → ".join(loop_status.name for loop_status in loop),
                        )
                    )
                if status in done:
                    continue
                path.append(status)
                todo.extend((status[name], depth + 1) for name in names if status[name])
            done |= start
        return True

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        check_client_values(self, vals_list)
        self.env.registry.clear_cache()
        return super().create(vals_list)

    def write(self, vals):
        check_client_values(self, [vals])
        if "category" in vals:
            self.filtered(lambda s: s.category != vals["category"])._check_unused()
        if {"sequence", "category", "active"} & set(vals):
            self.env.registry.clear_cache()
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()
        return super().unlink()

    def _check_unused(self):
        """The category of a status is what the rules (locked lines, deletion,
        ratings, new customers) and the metrics read of the orders in it, and of
        those that went through it: it changes only while no order is or was in
        it (a new status takes another category)."""
        Order = self.env["crm.order"].sudo()
        for status in self:
            count = Order.search_count(
                [
                    "|",
                    ("status_id", "=", status.id),
                    (
                        "status_history_ids",
                        "any",
                        [
                            "|",
                            ("status_from_id", "=", status.id),
                            ("status_to_id", "=", status.id),
                        ],
                    ),
                ]
            )
            if count:
                raise UserError(
                    self.env._(
                        "Status %(status)s is used by %(count)s order(s): its "
                        "category cannot change, as the rules and the metrics of "
                        "these orders rely on it. Create another status instead.",
                        status=status.name,
                        count=count,
                    )
                )

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    @tools.ormcache()
    def _first_draft_status_id(self):
        """Id of the status new orders start in: the first active draft status."""
        return self.sudo().search([("category", "=", "draft")], limit=1).id
