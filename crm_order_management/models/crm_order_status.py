# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

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
