# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    crm_order_mark_won = fields.Boolean(
        related="company_id.crm_order_mark_won", readonly=False
    )
    crm_order_portal_show_users = fields.Boolean(
        related="company_id.crm_order_portal_show_users", readonly=False
    )
