# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


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
        "Empty: every user who can edit the order.",
    )
    order_type_ids = fields.Many2many(
        "crm.order.type",
        string="Order Types",
        help="Order types this transition applies to. Empty: every type.",
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [
        (
            "from_to_different",
            "CHECK (from_status_id != to_status_id)",
            "A transition must lead to another status.",
        ),
    ]

    @api.depends("from_status_id", "to_status_id")
    def _compute_display_name(self):
        for transition in self:
            transition.display_name = "%s → %s" % (
                transition.from_status_id.name or "",
                transition.to_status_id.name or "",
            )

    def _applies_to(self, order_type, user):
        """The transitions of ``self`` that ``user`` may make on orders of
        ``order_type``."""
        user_groups = user.groups_id
        return self.filtered(
            lambda t: (not t.order_type_ids or order_type in t.order_type_ids)
            and (not t.group_ids or t.group_ids & user_groups)
        )
