# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    # the field of Odoo's Sales app (sale), with the same values: both addons may be
    # installed together
    invoice_policy = fields.Selection(
        [("order", "Ordered quantities"), ("delivery", "Delivered quantities")],
        string="Invoicing Policy",
        default="order",
        help="Ordered Quantity: invoice quantities ordered by the customer.\n"
        "Delivered Quantity: invoice quantities delivered to the customer.",
    )
