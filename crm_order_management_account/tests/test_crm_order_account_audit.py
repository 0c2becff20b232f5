# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Credit notes and "Reverse and Create Invoice" through Odoo's reversal wizard, the
payment as the trigger of the move (registered, assigned from the outstanding
payments, or a reconciliation without payment), orders that enter a status already
paid, invoiced orders that are not deleted, and a second company. Every amount below
is worked by hand."""

import xmlrpc.client

from lxml import etree

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged
from odoo.tests.common import new_test_user
from odoo.tools import convert_file, file_open, mute_logger

from odoo.addons.account.tests.common import AccountTestInvoicingHttpCommon
from odoo.addons.crm_order_management.tests.common import XmlrpcMixin
from odoo.addons.crm_order_management.tools import with_server_values

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
class TestCrmOrderReversal(CrmOrderInvoicedCommon):
    """Odoo's reversal wizard (account.move.reversal), as an accountant: the credit
    note, and with "Reverse and Create Invoice" the new invoice, keep the links to
    the order lines."""

    def _two_lines(self):
        # 3 desks at 100 + 15 % = 345; 2 lamps at 110 tax included (200 + 20) = 220
        order, invoice = self._invoiced(
            [(self.desk, 3, 100.0, 0.0), (self.lamp, 2, 110.0, 0.0)]
        )
        self.assertEqual(invoice.amount_total, 565.0)
        self.assertEqual(order.amount_total, 565.0)
        self.assertEqual(order.line_ids.mapped("qty_invoiced"), [3.0, 2.0])
        return order, invoice

    def test_reverse(self):
        order, invoice = self._two_lines()
        desk_line, lamp_line = order.line_ids
        wizard = self._reversal(invoice, self.accountant)
        action = wizard.refund_moves()
        refund = wizard.new_move_ids
        self.assertEqual(action["res_id"], refund.id)
        self.assertEqual(
            (refund.move_type, refund.state, refund.amount_total),
            ("out_refund", "draft", 565.0),
        )
        self.assertEqual(
            self._links(refund),
            [(self.desk, 3.0, desk_line), (self.lamp, 2.0, lamp_line)],
        )
        # 3 - 3 and 2 - 2: everything is to invoice again
        self.assertEqual(order.line_ids.mapped("qty_invoiced"), [0.0, 0.0])
        self.assertEqual(order.line_ids.mapped("qty_to_invoice"), [3.0, 2.0])
        self.assertEqual(order.invoice_status, "to invoice")
        self.assertEqual(order.invoice_ids, invoice | refund)
        self.assertEqual(order.invoice_count, 2)
        self.assertEqual(refund.crm_order_ids, order)
        refund.action_post()
        self.assertEqual(order.line_ids.mapped("qty_invoiced"), [0.0, 0.0])
        self.assertEqual(order.payment_state, "not_paid")

    def test_reverse_and_create_invoice(self):
        order, invoice = self._two_lines()
        desk_line, lamp_line = order.line_ids
        wizard = self._reversal(invoice, self.accountant)
        action = wizard.modify_moves()
        new_invoice = wizard.new_move_ids
        self.assertEqual(action["res_id"], new_invoice.id)
        refund = invoice.reversal_move_ids
        # the credit note is posted and cancels the invoice; the new one is a draft
        self.assertEqual(
            (refund.move_type, refund.state, refund.amount_total),
            ("out_refund", "posted", 565.0),
        )
        self.assertEqual(invoice.payment_state, "reversed")
        self.assertEqual(
            (new_invoice.move_type, new_invoice.state, new_invoice.amount_total),
            ("out_invoice", "draft", 565.0),
        )
        expected = [(self.desk, 3.0, desk_line), (self.lamp, 2.0, lamp_line)]
        self.assertEqual(self._links(refund), expected)
        self.assertEqual(self._links(new_invoice), expected)
        # 3 - 3 + 3 and 2 - 2 + 2
        self.assertEqual(order.line_ids.mapped("qty_invoiced"), [3.0, 2.0])
        self.assertEqual(order.line_ids.mapped("qty_to_invoice"), [0.0, 0.0])
        self.assertEqual(order.invoice_status, "invoiced")
        self.assertEqual(order.invoice_ids, invoice | refund | new_invoice)
        self.assertEqual(order.invoice_count, 3)
        # the reversal is no payment: 565 - 565 invoiced, nothing received
        self.assertEqual(order.payment_state, "not_paid")
        self.assertEqual(order.status_id, self.status_payment)
        self.assertFalse(self._moves_to_shipment(order))

        # the new invoice, posted and paid, pays the order and moves it, once
        new_invoice.action_post()
        self.assertEqual(order.payment_state, "not_paid")
        payment = self._pay(new_invoice, user=self.accountant)
        self.assertEqual(order.payment_state, "paid")
        self.assertEqual(order.status_id, self.status_shipment)
        (move,) = self._moves_to_shipment(order)
        self.assertEqual(
            (move.change_type, move.user_id, move.trigger_ref),
            ("system", self.accountant, payment),
        )
        self.assertEqual(order.line_ids.mapped("qty_invoiced"), [3.0, 2.0])


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


@tagged("post_install", "-at_install")
class TestCrmOrderEntersPaid(CrmOrderInvoicedCommon):
    """An order paid before it enters the status it leaves when paid moves on at
    once, as a change by the system."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # paid in advance: a status before Awaiting Payment, which payments do not
        # leave
        cls.status_confirmed = cls.env["crm.order.status"].create(
            {"name": "Confirmed", "sequence": 5, "category": "open"}
        )
        cls.env["crm.order.transition"].create(
            [
                {
                    "from_status_id": cls.env.ref(
                        "crm_order_management.order_status_draft"
                    ).id,
                    "to_status_id": cls.status_confirmed.id,
                },
                {
                    "from_status_id": cls.status_confirmed.id,
                    "to_status_id": cls.status_payment.id,
                },
            ]
        )

    def _paid_in_advance(self):
        order = self._order([(self.desk, 2, 100.0, 0.0)], confirm=False)
        order.with_user(self.salesman).action_set_status(self.status_confirmed.id)
        invoice = self.env["account.move"].browse(order.action_create_invoice())
        invoice.action_post()
        payment = self._pay(invoice, user=self.accountant)
        self.assertEqual(order.payment_state, "paid")
        # Confirmed is not left when paid
        self.assertEqual(order.status_id, self.status_confirmed)
        return order, invoice, payment

    def _history(self, order):
        return [
            (h.status_from_id.name, h.status_to_id.name, h.change_type, h.user_id)
            for h in order.status_history_ids.sorted("id")
        ]

    def test_enters_awaiting_payment_already_paid(self):
        order, invoice, payment = self._paid_in_advance()
        order.with_user(self.salesman).action_set_status(self.status_payment.id)
        self.assertEqual(order.status_id, self.status_shipment)
        self.assertEqual(
            self._history(order),
            [
                (False, "Draft", "user", self.salesman),
                ("Draft", "Confirmed", "user", self.salesman),
                ("Confirmed", "Awaiting Payment", "user", self.salesman),
                ("Awaiting Payment", "Awaiting Shipment", "system", self.salesman),
            ],
        )
        self.assertEqual(self._moves_to_shipment(order).trigger_ref, payment)
        self.assertEqual(
            self._paid_notes(order),
            [
                f"Fully paid (payment {payment.name} of {invoice.name}): moved to "
                "Awaiting Shipment."
            ],
        )

    def test_enters_paid_by_two_invoices_names_the_last_payment(self):
        """Of the order's invoices, the one paid last names the trigger: the
        second invoice paid first, then the first one."""
        order = self._order([(self.desk, 2, 100.0, 0.0)], confirm=False)
        order.with_user(self.salesman).action_set_status(self.status_confirmed.id)
        first = self.env["account.move"].browse(order.action_create_invoice())
        first.invoice_line_ids.quantity = 1
        first.action_post()
        second = self.env["account.move"].browse(order.action_create_invoice())
        second.action_post()
        # 1 x 100 + 15 % each
        self.assertEqual((first.amount_total, second.amount_total), (115.0, 115.0))
        self.assertLess(first.id, second.id)
        paid_second = self._pay(second)
        self.assertEqual(order.payment_state, "partial")
        paid_first = self._pay(first)
        self.assertEqual(order.payment_state, "paid")
        self.assertEqual(order.status_id, self.status_confirmed)
        self.assertEqual(order._last_payment(), (first, paid_first))
        order.with_user(self.salesman).action_set_status(self.status_payment.id)
        self.assertEqual(order.status_id, self.status_shipment)
        self.assertEqual(self._moves_to_shipment(order).trigger_ref, paid_first)
        self.assertNotEqual(paid_first, paid_second)
        self.assertEqual(
            self._paid_notes(order),
            [
                f"Fully paid (payment {paid_first.name} of {first.name}): moved to "
                "Awaiting Shipment."
            ],
        )

    def test_enters_unpaid_stays(self):
        order = self._order([(self.desk, 2, 100.0, 0.0)], confirm=False)
        order.with_user(self.salesman).action_set_status(self.status_confirmed.id)
        invoice = self.env["account.move"].browse(order.action_create_invoice())
        invoice.action_post()
        self._pay(invoice, amount=100.0)
        self.assertEqual(order.payment_state, "partial")
        order.with_user(self.salesman).action_set_status(self.status_payment.id)
        self.assertEqual(order.status_id, self.status_payment)
        self.assertFalse(self._moves_to_shipment(order))
        self.assertEqual(self._paid_notes(order), [])

    def test_enters_paid_without_automatic_transition_stays_with_a_note(self):
        order, invoice, payment = self._paid_in_advance()
        self.env.ref(
            "crm_order_management.order_transition_awaiting_payment_awaiting_shipment"
        ).automatic = False
        order.with_user(self.salesman).action_set_status(self.status_payment.id)
        self.assertEqual(order.status_id, self.status_payment)
        self.assertEqual(
            self._paid_notes(order),
            [
                f"Fully paid (payment {payment.name} of {invoice.name}), but no "
                "transition allows the system to move it from Awaiting Payment to "
                "Awaiting Shipment."
            ],
        )

    def test_paid_statuses_make_no_loop(self):
        # (assertRaises: the refused write is rolled back)
        with self.assertRaises(ValidationError) as caught:
            self.status_shipment.paid_next_status_id = self.status_payment
        self.assertEqual(
            str(caught.exception),
            "The statuses that paid orders move on to cannot lead back to where "
            "they started (Awaiting Shipment).",
        )
        with self.assertRaises(ValidationError) as caught:
            self.status_confirmed.paid_next_status_id = self.status_confirmed
        self.assertEqual(
            str(caught.exception),
            "The statuses that paid orders move on to cannot lead back to where "
            "they started (Confirmed).",
        )
        self.env.invalidate_all()
        self.assertEqual(self.status_payment.paid_next_status_id, self.status_shipment)
        self.assertFalse(self.status_shipment.paid_next_status_id)
        # a chain is fine: Confirmed, paid, moves to Awaiting Payment, which a
        # paid order leaves at once for Awaiting Shipment
        self.status_confirmed.paid_next_status_id = self.status_payment
        self.env["crm.order.transition"].search(
            [
                ("from_status_id", "=", self.status_confirmed.id),
                ("to_status_id", "=", self.status_payment.id),
            ]
        ).automatic = True
        order = self._order([(self.desk, 2, 100.0, 0.0)], confirm=False)
        order.with_user(self.salesman).action_set_status(self.status_confirmed.id)
        invoice = self.env["account.move"].browse(order.action_create_invoice())
        invoice.action_post()
        payment = self._pay(invoice, user=self.accountant)
        self.assertEqual(order.status_id, self.status_shipment)
        self.assertEqual(
            self._history(order)[2:],
            [
                ("Confirmed", "Awaiting Payment", "system", self.accountant),
                ("Awaiting Payment", "Awaiting Shipment", "system", self.accountant),
            ],
        )
        self.assertEqual(
            order.status_history_ids.sorted("id")[2:].mapped("trigger_ref"),
            [payment, payment],
        )


@tagged("post_install", "-at_install")
class TestCrmOrderAccountXmlrpc(
    XmlrpcMixin, AccountTestInvoicingHttpCommon, CrmOrderInvoicedCommon
):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sales_manager = new_test_user(
            cls.env,
            login="crm_acc_sales_manager",
            groups="sales_team.group_sale_manager",
            company_id=cls.company.id,
        )

    @mute_logger("odoo.http")
    def test_invoiced_cancelled_order_is_not_deleted(self):
        order, invoice = self._invoiced()
        refund = invoice._reverse_moves(cancel=True)
        self.assertEqual(invoice.payment_state, "reversed")
        order.with_user(self.salesman).action_set_status(
            self.status_cancelled.id, cancel_reason_id=self.cancel_reason.id
        )
        self.assertEqual(order.status_id, self.status_cancelled)
        links = order.line_ids.invoice_line_ids
        self.assertEqual(links, (invoice | refund).invoice_line_ids)
        with self.assertRaises(xmlrpc.client.Fault) as caught:
            self.rpc(self.sales_manager, "crm.order", "unlink", [order.id])
        self.assertIn(
            f"Invoiced orders cannot be deleted: {order.name} (invoices: "
            f"{invoice.name}, {refund.name}).",
            caught.exception.faultString,
        )
        self.env.invalidate_all()
        self.assertTrue(order.exists())
        self.assertEqual(len(order.line_ids), 1)
        self.assertEqual(order.line_ids.invoice_line_ids, links)
        self.assertEqual(order.line_ids.qty_invoiced, 0.0)
        self.assertEqual((invoice | refund).crm_order_ids, order)
        # a cancelled order never invoiced is deleted as before
        other = self._order([(self.desk, 1, 100.0, 0.0)])
        other.with_user(self.salesman).action_set_status(
            self.status_cancelled.id, cancel_reason_id=self.cancel_reason.id
        )
        self.assertTrue(self.rpc(self.sales_manager, "crm.order", "unlink", [other.id]))
        self.assertFalse(other.exists())

    def test_reversal_context_defaults_link_nothing(self):
        """Reverse and Create Invoice gives the links of the invoice it reverses,
        not those a client puts in its context's defaults."""
        order, invoice = self._invoiced()
        other = self._order([(self.lamp, 4, 110.0, 0.0)])
        context = {
            "active_model": "account.move",
            "active_ids": invoice.ids,
            "default_invoice_line_ids": [
                [
                    0,
                    0,
                    {
                        "name": "other order",
                        "quantity": 4,
                        "price_unit": 0.01,
                        "crm_order_line_ids": [[6, 0, other.line_ids.ids]],
                    },
                ]
            ],
            "default_crm_order_line_ids": [[6, 0, other.line_ids.ids]],
        }
        wizard_id = self.rpc(
            self.accountant,
            "account.move.reversal",
            "create",
            {"reason": "Wrong price", "journal_id": invoice.journal_id.id},
            context=context,
        )
        self.rpc(
            self.accountant,
            "account.move.reversal",
            "modify_moves",
            [wizard_id],
            context=context,
        )
        self.env.invalidate_all()
        self.assertFalse(other.line_ids.invoice_line_ids)
        self.assertEqual(other.line_ids.qty_invoiced, 0.0)
        self.assertEqual(other.invoice_status, "to invoice")
        # the order's own: invoiced 2, credited 2, invoiced 2 again
        new_invoice = order.invoice_ids - invoice - invoice.reversal_move_ids
        self.assertEqual(self._links(new_invoice), [(self.desk, 2.0, order.line_ids)])
        self.assertEqual(
            (new_invoice.amount_total, order.line_ids.qty_invoiced), (230.0, 2.0)
        )

    def test_context_defaults_link_nothing(self):
        """The links between invoice lines and order lines are never a default of
        the client's context."""
        order = self._order([(self.desk, 2, 100.0, 0.0)])
        context = {"default_crm_order_line_ids": [[6, 0, order.line_ids.ids]]}
        invoice_id = self.rpc(
            self.accountant,
            "account.move",
            "create",
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "invoice_line_ids": [
                    [0, 0, {"name": "cheap", "quantity": 2, "price_unit": 0.01}]
                ],
            },
            context=context,
        )
        self.env.invalidate_all()
        self.assertFalse(self.env["account.move"].browse(invoice_id).crm_order_ids)
        self.assertFalse(order.line_ids.invoice_line_ids)
        self.assertEqual(order.line_ids.qty_invoiced, 0.0)
        # Create Invoice links its product line only
        (invoice_id,) = self.rpc(
            self.salesman,
            "crm.order",
            "action_create_invoice",
            [order.id],
            context=context,
        )
        self.env.invalidate_all()
        invoice = self.env["account.move"].browse(invoice_id)
        self.assertEqual(order.line_ids.invoice_line_ids, invoice.invoice_line_ids)
        self.assertEqual(len(invoice.line_ids.filtered("crm_order_line_ids")), 1)
        self.assertEqual(order.line_ids.qty_invoiced, 2.0)
        # nor are the order lines' links to invoice lines
        order_id = self.rpc(
            self.salesman,
            "crm.order",
            "create",
            {
                "partner_id": self.customer.id,
                "line_ids": [[0, 0, {"product_id": self.desk.id, "quantity": 1}]],
            },
            context={"default_invoice_line_ids": [[6, 0, invoice.line_ids.ids]]},
        )
        self.env.invalidate_all()
        self.assertFalse(
            self.env["crm.order"].browse(order_id).line_ids.invoice_line_ids
        )
        self.assertEqual(order.line_ids.invoice_line_ids, invoice.invoice_line_ids)


@tagged("post_install", "-at_install")
class TestCrmOrderMultiCompany(CrmOrderAccountCommon):
    """An order of a second company is invoiced in that company, with its taxes and
    journal; an invoice line of one company invoices no order of another."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_data_2 = cls.setup_other_company()
        cls.company_2 = cls.company_data_2["company"]
        cls.tax_20_company_2 = cls.env["account.tax"].create(
            {
                "name": "Sales 20% (company 2)",
                "amount": 20,
                "type_tax_use": "sale",
                "company_id": cls.company_2.id,
            }
        )
        # a product of both companies, taxed by each
        cls.chair = cls.env["product.product"].create(
            {
                "name": "Chair",
                "type": "consu",
                "lst_price": 50.0,
                "taxes_id": [Command.set((cls.tax_15 | cls.tax_20_company_2).ids)],
            }
        )
        cls.salesman.write({"company_ids": [Command.link(cls.company_2.id)]})

    def test_orders_of_two_companies_invoiced_in_each(self):
        Order = (
            self.env["crm.order"]
            .with_user(self.salesman)
            .with_context(allowed_company_ids=[self.company.id, self.company_2.id])
        )
        order_1, order_2 = Order.create(
            [
                {
                    "partner_id": self.customer.id,
                    "company_id": company.id,
                    "line_ids": [
                        Command.create(
                            {
                                "product_id": self.chair.id,
                                "quantity": 2,
                                "price_unit": 50.0,
                            }
                        )
                    ],
                }
                for company in (self.company, self.company_2)
            ]
        )
        (order_1 | order_2).action_set_status(self.status_payment.id)
        self.assertEqual(order_1.line_ids.tax_ids, self.tax_15)
        self.assertEqual(order_2.line_ids.tax_ids, self.tax_20_company_2)
        # 2 x 50 = 100: + 15 % = 115 in the first company, + 20 % = 120 in the second
        self.assertEqual((order_1.amount_tax, order_1.amount_total), (15.0, 115.0))
        self.assertEqual((order_2.amount_tax, order_2.amount_total), (20.0, 120.0))

        invoices = self.env["account.move"].browse(
            (order_1 | order_2).action_create_invoice()
        )
        self.assertEqual(len(invoices), 2)
        invoice_1 = invoices.filtered(lambda move: move.company_id == self.company)
        invoice_2 = invoices.filtered(lambda move: move.company_id == self.company_2)
        self.assertEqual(
            (
                invoice_1.journal_id,
                invoice_1.invoice_line_ids.tax_ids,
                invoice_1.amount_total,
                invoice_1.crm_order_ids,
            ),
            (self.company_data["default_journal_sale"], self.tax_15, 115.0, order_1),
        )
        self.assertEqual(
            (
                invoice_2.journal_id,
                invoice_2.invoice_line_ids.tax_ids,
                invoice_2.invoice_line_ids.account_id,
                invoice_2.amount_total,
                invoice_2.crm_order_ids,
            ),
            (
                self.company_data_2["default_journal_sale"],
                self.tax_20_company_2,
                self.company_data_2["default_account_revenue"],
                120.0,
                order_2,
            ),
        )
        invoice_2.action_post()
        payment = self._pay(invoice_2)
        self.assertEqual(payment.company_id, self.company_2)
        self.assertEqual(order_2.status_id, self.status_shipment)
        self.assertEqual(order_1.status_id, self.status_payment)

        # an invoice line of the second company invoices no order of the first
        # (assertRaises: the refused write is rolled back)
        with self.assertRaises(ValidationError) as caught:
            with_server_values(
                invoice_2.invoice_line_ids
            ).crm_order_line_ids = order_1.line_ids
        self.assertEqual(
            str(caught.exception),
            "An invoice line invoices orders of its own company and customer only "
            f"({order_1.name}).",
        )
        self.env.invalidate_all()
        self.assertEqual(
            invoice_2.invoice_line_ids.crm_order_line_ids, order_2.line_ids
        )
        self.assertEqual(order_1.line_ids.invoice_line_ids, invoice_1.invoice_line_ids)
        self.assertEqual(order_1.line_ids.qty_invoiced, 2.0)


@tagged("post_install", "-at_install")
class TestCrmOrderAccountDemo(TransactionCase):
    """The demo invoicing runs once, at installation: its file is not loaded again
    by an update, and the function does nothing a second time."""

    def _invoicing(self):
        return (
            self.env["account.move"].search_count([("move_type", "=", "out_invoice")]),
            self.env["account.payment"].search_count([]),
        )

    def test_demo_invoicing_runs_once(self):
        path = f"{MODULE}/demo/crm_order_account_demo.xml"
        with file_open(path, "rb") as demo:
            self.assertEqual(etree.parse(demo).getroot().get("noupdate"), "1")
        # at installation: of the orders awaiting payment, two paid (moved on) and
        # one partially paid
        company = self.env.ref("base.main_company")
        invoiced = self.env["crm.order"].search(
            [("company_id", "=", company.id), ("invoice_ids", "!=", False)]
        )
        self.assertEqual(
            sorted(invoiced.mapped("payment_state")), ["paid", "paid", "partial"]
        )
        before = self._invoicing()
        # an update (-u) loads the file without running it
        convert_file(
            self.env,
            MODULE,
            "demo/crm_order_account_demo.xml",
            {},
            mode="update",
            kind="demo",
        )
        self.assertEqual(self._invoicing(), before)
        # and the function itself invoices nothing more
        self.env["crm.order"].with_company(company)._demo_invoicing()
        self.assertEqual(self._invoicing(), before)
        self.assertEqual(
            self.env["crm.order"].search_count(
                [("company_id", "=", company.id), ("invoice_ids", "!=", False)]
            ),
            3,
        )
