# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Credit notes and "Reverse and Create Invoice" through Odoo's reversal wizard, the
payment as the trigger of the move (registered, assigned from the outstanding
payments, or a reconciliation without payment), orders that enter a status already
paid, invoiced orders that are not deleted, and a second company. Every amount below
is worked by hand."""

from odoo import Command
from odoo.tests import tagged

from .test_crm_order_account import CrmOrderAccountCommon

MODULE = "crm_order_management_account"


class CrmOrderInvoicedCommon(CrmOrderAccountCommon):
    def _invoiced(self, lines=None, post=True):
        """An order awaiting payment and its invoice (posted unless ``post`` is
        False)."""
        order = self._order(lines or [(self.desk, 2, 100.0, 0.0)])
        invoice = self.env["account.move"].browse(order.action_create_invoice())
        if post:
            invoice.action_post()
        return order, invoice

    def _reversal(self, invoice, user):
        return (
            self.env["account.move.reversal"]
            .with_user(user)
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"reason": "Wrong price", "journal_id": invoice.journal_id.id})
        )

    def _links(self, moves):
        """The order lines each invoice line of ``moves`` invoices, by product."""
        return [
            (line.product_id, line.quantity, line.crm_order_line_ids)
            for line in moves.invoice_line_ids
        ]


@tagged("post_install", "-at_install")
class TestCrmOrderPaymentTriggers(CrmOrderInvoicedCommon):
    def _outstanding_payment(self, amount):
        """A customer payment registered without an invoice, as an accountant."""
        payment = (
            self.env["account.payment"]
            .with_user(self.accountant)
            .create(
                {
                    "payment_type": "inbound",
                    "partner_type": "customer",
                    "partner_id": self.customer.id,
                    "amount": amount,
                    "journal_id": self.company_data["default_journal_bank"].id,
                }
            )
        )
        payment.action_post()
        return payment

    def _assign(self, invoice, payment):
        """Assign the outstanding ``payment`` to ``invoice`` (its payment widget's
        Add), as an accountant."""
        receivable = invoice.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )
        outstanding = payment.move_id.line_ids.filtered(
            lambda line: line.account_id == receivable.account_id
        )
        self.assertEqual(outstanding.credit, payment.amount)
        invoice.with_user(self.accountant).js_assign_outstanding_line(outstanding.id)

    def test_outstanding_payment_assigned_to_the_invoice(self):
        """A customer payment registered first (outstanding), then assigned to the
        invoice from its payment widget: the order moves once, the payment named."""
        order, invoice = self._invoiced()
        # 2 x 100 + 15 % = 230
        self.assertEqual(invoice.amount_total, 230.0)
        payment = self._outstanding_payment(230.0)
        self.assertEqual(order.payment_state, "not_paid")
        self.assertEqual(order.status_id, self.status_payment)
        self._assign(invoice, payment)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(invoice._get_reconciled_payments(), payment)
        self.assertEqual(order.payment_state, "paid")
        self.assertEqual(order.status_id, self.status_shipment)
        (move,) = self._moves_to_shipment(order)
        self.assertEqual(
            (move.status_from_id, move.change_type, move.user_id, move.trigger_ref),
            (self.status_payment, "system", self.accountant, payment),
        )
        self.assertEqual(
            self._paid_notes(order),
            [
                f"Fully paid (payment {payment.name} of {invoice.name}): moved to "
                "Awaiting Shipment."
            ],
        )

    def test_outstanding_payment_completes_a_partly_paid_invoice(self):
        """The payment reconciled last is the trigger, not the one created last:
        an outstanding payment of 130 registered first, 100 paid on the invoice,
        then the 130 assigned to it."""
        order, invoice = self._invoiced()
        outstanding_payment = self._outstanding_payment(130.0)
        registered = self._pay(invoice, amount=100.0)
        self.assertGreater(registered.id, outstanding_payment.id)
        self.assertEqual(order.payment_state, "partial")
        self._assign(invoice, outstanding_payment)
        self.assertEqual(
            invoice._get_reconciled_payments(), outstanding_payment | registered
        )
        self.assertEqual(order.status_id, self.status_shipment)
        (move,) = self._moves_to_shipment(order)
        self.assertEqual(move.trigger_ref, outstanding_payment)
        self.assertEqual(
            self._paid_notes(order),
            [
                f"Fully paid (payment {outstanding_payment.name} of {invoice.name}): "
                "moved to Awaiting Shipment."
            ],
        )

    def test_paid_without_a_payment_names_the_invoice(self):
        """Paid by reconciling a journal entry (no account.payment, as a bank
        statement line would): the invoice is the trigger."""
        order, invoice = self._invoiced()
        receivable = invoice.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )
        entry = self.env["account.move"].create(
            {
                "move_type": "entry",
                "journal_id": self.company_data["default_journal_misc"].id,
                "line_ids": [
                    Command.create(
                        {
                            "account_id": self.company_data[
                                "default_account_revenue"
                            ].id,
                            "debit": 230.0,
                        }
                    ),
                    Command.create(
                        {
                            "account_id": receivable.account_id.id,
                            "partner_id": self.customer.id,
                            "credit": 230.0,
                        }
                    ),
                ],
            }
        )
        entry.action_post()
        (
            receivable
            + entry.line_ids.filtered(
                lambda line: line.account_id == receivable.account_id
            )
        ).with_user(self.accountant).reconcile()
        self.assertEqual(invoice.payment_state, "paid")
        self.assertFalse(invoice._get_reconciled_payments())
        self.assertEqual(order.status_id, self.status_shipment)
        (move,) = self._moves_to_shipment(order)
        self.assertEqual((move.change_type, move.trigger_ref), ("system", invoice))
        self.assertEqual(
            self._paid_notes(order),
            [f"Fully paid ({invoice.name}): moved to Awaiting Shipment."],
        )
