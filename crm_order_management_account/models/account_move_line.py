# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.crm_order_management.tools import check_client_values


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"
    # set by Create Invoice and by credit notes (reversals) only: an invoice line
    # linked by hand would make an order invoiced, and paid, for any amount
    _crm_server_fields = ("crm_order_line_ids",)

    crm_order_line_ids = fields.Many2many(
        "crm.order.line",
        "crm_order_line_invoice_rel",
        "invoice_line_id",
        "order_line_id",
        string="Customer Order Lines",
        copy=False,
        readonly=True,
    )

    @api.model
    def default_get(self, fields_list):
        # never from a default (a client's ``default_crm_order_line_ids`` context
        # key would reach the tax and receivable lines an invoice creates): the
        # server's code gives the links explicitly
        return super().default_get(
            [name for name in fields_list if name != "crm_order_line_ids"]
        )

    @api.model_create_multi
    def create(self, vals_list):
        check_client_values(self, vals_list, fnames=self._crm_server_fields)
        return super().create(vals_list)

    def write(self, vals):
        check_client_values(self, [vals], fnames=self._crm_server_fields)
        return super().write(vals)

    def _copy_data_extend_business_fields(self, values):  # pylint: disable=missing-return
        # a credit note (reversal) deducts from the lines its invoice invoiced, the
        # new invoice of "Reverse and Create Invoice" invoices them again (as
        # sale's sale_line_ids): see account.move._reverse_moves and
        # account.move.reversal.reverse_moves, which give them as the server
        super()._copy_data_extend_business_fields(values)
        values["crm_order_line_ids"] = [fields.Command.set(self.crm_order_line_ids.ids)]

    @api.constrains("crm_order_line_ids", "partner_id", "company_id")
    def _check_crm_order_lines(self):
        """An invoice line invoices order lines of its own company and customer."""
        for line in self.sudo().filtered("crm_order_line_ids"):
            orders = line.crm_order_line_ids.order_id
            wrong = orders.filtered(
                lambda order, line=line: order.company_id != line.company_id
                or order.commercial_partner_id != line.move_id.commercial_partner_id
            )
            if wrong:
                raise ValidationError(
                    self.env._(
                        "An invoice line invoices orders of its own company and "
                        "customer only (%(orders)s).",
                        orders=", ".join(wrong.mapped("name")),
                    )
                )
