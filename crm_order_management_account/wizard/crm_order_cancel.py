# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.crm_order import CANCEL_OPEN_INVOICES, KEEP_OPEN_INVOICES


class CrmOrderCancel(models.TransientModel):
    _inherit = "crm.order.cancel"

    # names, not records: a salesperson without Invoicing rights reads them too
    open_invoices = fields.Char(
        string="Unpaid Invoices",
        compute="_compute_open_invoices",
        help="Posted invoices of the order that are not paid: cancelling the order "
        "leaves them open.",
    )
    keep_open_invoices = fields.Boolean(
        string="Cancel With Unpaid Invoices",
        help="The invoices stay open: credit them in Invoicing if they should not "
        "be paid.",
    )

    @api.depends("order_id")
    def _compute_open_invoices(self):
        for wizard in self:
            invoices = wizard.order_id._open_invoices()
            wizard.open_invoices = ", ".join(invoices.mapped("name")) or False

    def action_confirm(self):
        self.ensure_one()
        if self.open_invoices and not self.keep_open_invoices:
            raise UserError(
                self.env._(
                    "The order has unpaid invoices (%(invoices)s): tick Cancel With "
                    "Unpaid Invoices to cancel it anyway, or credit them first.",
                    invoices=self.open_invoices,
                )
            )
        return super(
            CrmOrderCancel,
            self.with_context(**{CANCEL_OPEN_INVOICES: KEEP_OPEN_INVOICES}),
        ).action_confirm()
