# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from ..tools import check_client_values


class CrmOrderType(models.Model):
    _name = "crm.order.type"
    _description = "Order Type"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    code = fields.Char(help="Short code of the type, for integrations and reports.")
    sequence = fields.Integer(default=10)
    description = fields.Text(translate=True)
    sequence_prefix = fields.Char(
        string="Number Prefix",
        required=True,
        default="ORD/",
        help="Prefix of the numbers of this type's orders, for example NEW/%(year)s/.",
    )
    sequence_id = fields.Many2one(
        "ir.sequence",
        string="Numbering",
        readonly=True,
        copy=False,
        check_company=True,
        help="Sequence that numbers this type's orders; created with the type.",
    )
    is_recurring = fields.Boolean(
        string="Recurring Orders",
        help="Orders of this type repeat on a schedule.",
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        index=True,
        help="Leave empty to use this type in every company.",
    )

    _sql_constraints = [
        (
            "code_company_uniq",
            "unique (code, company_id)",
            "An order type with this code already exists in this company.",
        ),
    ]

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        check_client_values(self, vals_list)
        types = super().create(vals_list)
        for order_type in types.filtered(lambda t: not t.sequence_id):
            order_type.sequence_id = (
                self.env["ir.sequence"]
                .sudo()
                .create(order_type._prepare_sequence_values())
            )
        return types

    def write(self, vals):
        check_client_values(self, [vals])
        res = super().write(vals)
        if "sequence_prefix" in vals or "company_id" in vals:
            for order_type in self.filtered("sequence_id"):
                order_type.sequence_id.sudo().write(
                    {
                        "prefix": order_type.sequence_prefix,
                        "company_id": order_type.company_id.id,
                    }
                )
        return res

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _prepare_sequence_values(self):
        self.ensure_one()
        return {
            "name": self.env._("Orders: %(type)s", type=self.name),
            "code": "crm.order.type.%s" % self.id,
            "prefix": self.sequence_prefix,
            "padding": 5,
            "company_id": self.company_id.id,
        }
