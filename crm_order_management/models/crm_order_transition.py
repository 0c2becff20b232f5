# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from ..tools import check_client_values


class CrmOrderTransition(models.Model):
    _name = "crm.order.transition"
    _description = "Order Status Transition"
    _order = "sequence, from_status_id, to_status_id, id"

    sequence = fields.Integer(default=10)
    from_status_id = fields.Many2one(
        "crm.order.status", string="From", required=True, ondelete="cascade", index=True
    )
    to_status_id = fields.Many2one(
        "crm.order.status", string="To", required=True, ondelete="cascade"
    )
    group_ids = fields.Many2many(
        "res.groups",
        string="Allowed Groups",
        help="Groups whose members may make this transition. "
        "Empty: every internal user who can edit the order. Customers confirm in "
        "the portal through transitions that name the Portal group.",
    )
    order_type_ids = fields.Many2many(
        "crm.order.type",
        string="Order Types",
        help="Order types this transition applies to. Empty: every type.",
    )
    # What the list shows of the two sets, saying what an empty one means
    group_label = fields.Char(
        string="Allowed Groups Shown",
        compute="_compute_labels",
        help="The allowed groups, or 'Everyone' when the transition names none.",
    )
    order_type_label = fields.Char(
        string="Order Types Shown",
        compute="_compute_labels",
        help="The order types, or 'All types' when the transition names none.",
    )
    manual = fields.Boolean(
        string="By Users",
        default=True,
        help="Users of the allowed groups may make this change.",
    )
    automatic = fields.Boolean(
        string="By the System",
        help="The system may make this change by itself, whoever is logged in: "
        "scheduled actions and the hooks of other modules (a payment, a delivery). "
        "The allowed groups do not apply to it.",
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [
        (
            "from_to_different",
            "CHECK (from_status_id != to_status_id)",
            "A transition must lead to another status.",
        ),
        (
            "made_by_someone",
            "CHECK (manual OR automatic)",
            "A transition is made by users, by the system, or both.",
        ),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        check_client_values(self, vals_list)
        return super().create(vals_list)

    def write(self, vals):
        check_client_values(self, [vals])
        return super().write(vals)

    @api.depends("from_status_id", "to_status_id")
    def _compute_display_name(self):
        for transition in self:
            transition.display_name = "%s → %s" % (
                transition.from_status_id.name or "",
                transition.to_status_id.name or "",
            )

    @api.depends("group_ids", "order_type_ids")
    @api.depends_context("lang")
    def _compute_labels(self):
        for transition in self:
            transition.group_label = ", ".join(
                transition.group_ids.mapped("display_name")
            ) or self.env._("Everyone")
            transition.order_type_label = ", ".join(
                transition.order_type_ids.mapped("display_name")
            ) or self.env._("All types")

    def _applies_to(self, order_type, user):
        """The transitions of ``self`` that ``user`` may make on orders of
        ``order_type``."""
        user_groups = user.groups_id
        # without groups: every internal user; portal and public users only
        # through transitions that name their group
        return self.filtered(
            lambda t: t.manual
            and (not t.order_type_ids or order_type in t.order_type_ids)
            and (t.group_ids & user_groups if t.group_ids else not user.share)
        )

    def _applies_to_system(self, order_type):
        """The transitions of ``self`` that the system may make by itself on orders
        of ``order_type``."""
        return self.filtered(
            lambda t: t.automatic
            and (not t.order_type_ids or order_type in t.order_type_ids)
        )
