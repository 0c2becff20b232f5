# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models
from odoo.tools import clean_context

from odoo.addons.crm_order_management.tools import with_server_values


class AccountMoveReversal(models.TransientModel):
    _inherit = "account.move.reversal"

    def reverse_moves(self, is_modify=False):
        """The credit note and, with "Reverse and Create Invoice" (``is_modify``),
        the new invoice keep the order lines of the invoice they come from: Odoo
        copies the invoice lines with their business fields, here the links to the
        order lines, a field the server owns (account.move.line.
        crm_order_line_ids). Only the links of the invoices reversed are given:
        the client's context defaults (``default_invoice_line_ids`` with links of
        its choosing) are left out, as they would be given with the server's
        right."""
        wizard = with_server_values(self.with_context(clean_context(self.env.context)))
        return super(AccountMoveReversal, wizard).reverse_moves(is_modify=is_modify)
