# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models, tools

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

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        self.env.registry.clear_cache()
        return super().create(vals_list)

    def write(self, vals):
        if {"sequence", "category", "active"} & set(vals):
            self.env.registry.clear_cache()
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()
        return super().unlink()

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    @tools.ormcache()
    def _first_draft_status_id(self):
        """Id of the status new orders start in: the first active draft status."""
        return self.sudo().search([("category", "=", "draft")], limit=1).id
