# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import SQL

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
                sequence = order_type.sequence_id.sudo()
                sequence.write(
                    {
                        "prefix": order_type.sequence_prefix,
                        "company_id": order_type.company_id.id,
                    }
                )
                # the companies' sequences of a shared type take the prefix too
                sequence.search(
                    [("code", "=", sequence.code), ("id", "!=", sequence.id)]
                ).write({"prefix": order_type.sequence_prefix})
        return res

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _sequence_for_company(self, company):
        """The numbering of this type in ``company``: the type's sequence for a type
        of one company; for a type shared by every company, one sequence per
        company (no company sees the others' order volume in its numbers). A
        company's sequence is made from the type's on first use and continues its
        counter, so that no number drawn before is drawn again."""
        self.ensure_one()
        sequence = self.sudo().sequence_id
        if not sequence or self.company_id or not company:
            return sequence
        Sequence = self.env["ir.sequence"].sudo()
        domain = [("code", "=", sequence.code), ("company_id", "=", company.id)]
        # the fields that drawing a number reads, in the same query
        numbering = ["code", "implementation", "use_date_range", "prefix", "suffix"]
        numbering += ["padding", "number_increment", "company_id"]
        own = Sequence.search_fetch(domain, numbering, order="id", limit=1)
        if own:
            return own
        # one transaction at a time makes a company's sequence (the other waits,
        # then Odoo retries it and finds it)
        self.env.cr.execute(
            SQL(
                "SELECT id FROM crm_order_type WHERE id = %s FOR NO KEY UPDATE",
                self.id,
            ),
            log_exceptions=False,
        )
        return Sequence.search(domain, order="id", limit=1) or sequence.copy(
            {
                "name": self.env._(
                    "Orders: %(type)s (%(company)s)",
                    type=self.name,
                    company=company.name,
                ),
                "company_id": company.id,
                "number_next": sequence.number_next_actual,
            }
        )

    def _prepare_sequence_values(self):
        self.ensure_one()
        return {
            "name": self.env._("Orders: %(type)s", type=self.name),
            "code": "crm.order.type.%s" % self.id,
            "prefix": self.sequence_prefix,
            "padding": 5,
            "company_id": self.company_id.id,
        }
