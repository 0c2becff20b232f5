# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class CrmOrderStatus(models.Model):
    _inherit = "crm.order.status"

    paid_next_status_id = fields.Many2one(
        "crm.order.status",
        string="When Paid, Move To",
        help="When an order in this status is fully paid (its invoices), it moves to "
        "this status by itself, as a change by the system: a transition between the "
        "two statuses must allow changes by the system.",
    )
