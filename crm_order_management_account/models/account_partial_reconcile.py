# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class AccountPartialReconcile(models.Model):
    _inherit = "account.partial.reconcile"

    def unlink(self):
        """A payment undone (unreconciled, reset to draft, cancelled): the orders it
        had paid do not move back; their salespeople are warned."""
        invoices = (self.debit_move_id.move_id | self.credit_move_id.move_id).filtered(
            lambda move: move.move_type == "out_invoice"
        )
        orders = invoices.sudo().invoice_line_ids.crm_order_line_ids.order_id
        paid = orders.filtered(lambda order: order.payment_state == "paid")
        res = super().unlink()
        if paid:
            paid._recompute_payment_state()
            paid._warn_payment_reversed(invoices)
        return res
