# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import clean_context

from odoo.addons.crm_order_management.tools import with_server_values


class AccountMove(models.Model):
    _inherit = "account.move"

    crm_order_ids = fields.Many2many(
        "crm.order",
        string="Customer Orders",
        compute="_compute_crm_order_ids",
        compute_sudo=True,
    )
    crm_order_count = fields.Integer(
        string="Customer Order Count",
        compute="_compute_crm_order_ids",
        compute_sudo=True,
    )

    @api.depends("invoice_line_ids.crm_order_line_ids")
    def _compute_crm_order_ids(self):
        for move in self:
            orders = move.invoice_line_ids.crm_order_line_ids.order_id
            move.crm_order_ids = orders
            move.crm_order_count = len(orders)

    def action_view_crm_orders(self):
        self.ensure_one()
        return self.crm_order_ids._get_records_action(
            name=self.env._("Customer Orders")
        )

    def _reverse_moves(self, default_values_list=None, cancel=False):
        # credit notes keep the order lines of the invoice they reverse (a field the
        # server owns: see account.move.line.crm_order_line_ids)
        # (without the client's context defaults, given with the server's right)
        moves = with_server_values(self.with_context(clean_context(self.env.context)))
        return (
            super(AccountMove, moves)
            ._reverse_moves(default_values_list=default_values_list, cancel=cancel)
            .with_env(self.env)
        )

    def _crm_last_payment(self):
        """The payment that paid the invoice last: of its reconciled payments
        (``_get_reconciled_payments``: registered on it, or outstanding payments
        assigned to it), the one reconciled with it last; no payment when it was
        paid without one (a bank statement line, a journal entry)."""
        self.ensure_one()
        payments = self._get_reconciled_payments()
        if len(payments) < 2:
            return payments
        lines = self.line_ids.filtered(
            lambda line: line.account_id.account_type
            in ("asset_receivable", "liability_payable")
        )
        reconciled_at = {}
        for partial in lines.matched_debit_ids | lines.matched_credit_ids:
            counterparts = partial.debit_move_id | partial.credit_move_id
            for payment in counterparts.move_id.origin_payment_id:
                reconciled_at[payment] = max(reconciled_at.get(payment, 0), partial.id)
        return max(
            payments, key=lambda payment: (reconciled_at.get(payment, 0), payment.id)
        )

    def _invoice_paid_hook(self):
        """A paid customer invoice moves its orders on when they are fully paid
        (see crm.order._move_on_when_paid), whoever registered the payment; the
        payment is the change's trigger."""
        res = super()._invoice_paid_hook()
        for invoice in self.filtered(lambda move: move.move_type == "out_invoice"):
            invoice = invoice.sudo()
            orders = invoice.invoice_line_ids.crm_order_line_ids.order_id
            if not orders:
                continue
            # the payment state of the orders follows the invoice's
            orders._recompute_payment_state()
            orders._move_on_when_paid(invoice, invoice._crm_last_payment())
        return res
