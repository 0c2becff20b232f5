# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.crm_order import CANCEL_OPEN_INVOICES


class CrmOrderCancel(models.TransientModel):
    _inherit = "crm.order.cancel"

    open_invoice_ids = fields.Many2many(
        "account.move",
        string="Unpaid Invoices",
        compute="_compute_open_invoice_ids",
        help="Posted invoices of the order that are not paid: cancelling the order "
        "leaves them open.",
    )
    keep_open_invoices = fields.Boolean(
        string="Cancel With Unpaid Invoices",
        help="The invoices stay open: credit them in Invoicing if they should not "
        "be paid.",
    )

    @api.depends("order_id")
    def _compute_open_invoice_ids(self):
        for wizard in self:
            wizard.open_invoice_ids = wizard.order_id._open_invoices()

    def action_confirm(self):
        self.ensure_one()
        if self.open_invoice_ids and not self.keep_open_invoices:
            raise UserError(
                self.env._(
                    "The order has unpaid invoices (%(invoices)s): tick Cancel With "
                    "Unpaid Invoices to cancel it anyway, or credit them first.",
                    invoices=", ".join(self.open_invoice_ids.mapped("name")),
                )
            )
        return super(
            CrmOrderCancel, self.with_context(**{CANCEL_OPEN_INVOICES: True})
        ).action_confirm()
