# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from ..tools import check_client_values


class CrmOrderCancelReason(models.Model):
    _name = "crm.order.cancel.reason"
    _description = "Order Cancel Reason"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)

    @api.model_create_multi
    def create(self, vals_list):
        check_client_values(self, vals_list)
        return super().create(vals_list)

    def write(self, vals):
        check_client_values(self, [vals])
        return super().write(vals)
