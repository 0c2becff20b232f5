# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

from .crm_order_tracking import TRACKING_KINDS


class MailActivityType(models.Model):
    _inherit = "mail.activity.type"

    crm_order_tracking_kind = fields.Selection(
        TRACKING_KINDS,
        string="Order Tracking Kind",
        help="When an activity of this type on a customer order is marked done, it is "
        "logged as an order tracking event of this kind (Other when empty).",
    )
