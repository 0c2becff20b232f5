# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    crm_order_mark_won = fields.Boolean(
        string="Won Opportunity on Completed Order",
        help="Mark an opportunity as won when one of its orders is completed.",
    )
    crm_order_portal_show_users = fields.Boolean(
        string="Show Users in the Customer Portal",
        help="The customer portal's timeline of an order names the users who moved "
        "it from status to status.",
    )
