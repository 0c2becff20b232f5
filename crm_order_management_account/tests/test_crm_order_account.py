# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Taxes, invoices and payments of customer orders, on Odoo's own invoicing fixtures
(AccountTestInvoicingCommon). Every amount below is worked by hand."""

import re
import xmlrpc.client

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged
from odoo.tests.common import new_test_user
from odoo.tools import html2plaintext, mute_logger

from odoo.addons.account.tests.common import (
    AccountTestInvoicingCommon,
    AccountTestInvoicingHttpCommon,
)
from odoo.addons.crm_order_management.tests.common import XmlrpcMixin
from odoo.addons.crm_order_management.tools import with_server_values
from odoo.addons.crm_order_management.tools.validation import server_owned_fields


class CrmOrderAccountCommon(AccountTestInvoicingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.status_payment = ref("crm_order_management.order_status_awaiting_payment")
        cls.status_shipment = ref("crm_order_management.order_status_awaiting_shipment")
        cls.status_cancelled = ref("crm_order_management.order_status_cancelled")
        cls.cancel_reason = ref("crm_order_management.cancel_reason_customer")
        cls.company = cls.env.company
        cls.tax_15 = cls.env["account.tax"].create(
            {"name": "Sales 15%", "amount": 15, "type_tax_use": "sale"}
        )
        cls.tax_10_included = cls.env["account.tax"].create(
            {
                "name": "Sales 10% included",
                "amount": 10,
                "type_tax_use": "sale",
                "price_include_override": "tax_included",
            }
        )
        cls.tax_5 = cls.env["account.tax"].create(
            {"name": "Sales 5%", "amount": 5, "type_tax_use": "sale"}
        )
        cls.desk = cls.env["product.product"].create(
            {
                "name": "Oak Desk",
                "type": "consu",
                "lst_price": 100.0,
                "taxes_id": [Command.set(cls.tax_15.ids)],
            }
        )
        cls.lamp = cls.env["product.product"].create(
            {
                "name": "Desk Lamp",
                "type": "consu",
                "lst_price": 110.0,
                "taxes_id": [Command.set(cls.tax_10_included.ids)],
            }
        )
        cls.salesman = new_test_user(
            cls.env,
            login="crm_acc_salesman",
            groups="sales_team.group_sale_salesman_all_leads,account.group_account_invoice",
            company_id=cls.company.id,
        )
        cls.accountant = new_test_user(
            cls.env,
            login="crm_acc_accountant",
            groups="account.group_account_invoice",
            company_id=cls.company.id,
        )
        cls.customer = cls.partner_a

    @classmethod
    def _order(cls, lines, partner=None, confirm=True):
        """An order of ``lines`` [(product, quantity, price, discount)], moved to
        Awaiting Payment unless ``confirm`` is False."""
        order = (
            cls.env["crm.order"]
            .with_user(cls.salesman)
            .create(
                {
                    "partner_id": (partner or cls.customer).id,
                    "line_ids": [
                        Command.create(
                            {
                                "product_id": product.id,
                                "quantity": quantity,
                                "price_unit": price,
                                "discount": discount,
                            }
                        )
                        for product, quantity, price, discount in lines
                    ],
                }
            )
        )
        if confirm:
            order.action_set_status(cls.status_payment.id)
        return order.with_env(cls.env)

    def _pay(self, invoice, amount=None, user=None):
        wizard = (
            self.env["account.payment.register"]
            .with_user(user or self.env.user)
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"amount": amount} if amount is not None else {})
        )
        return wizard._create_payments()

    def _moves_to_shipment(self, order):
        return order.status_history_ids.filtered(
            lambda h: h.status_to_id == self.status_shipment
        )

    def _paid_notes(self, order):
        """The texts of the order's "Fully paid" notes, oldest first."""
        return [
            html2plaintext(body)
            for body in reversed(order.message_ids.mapped("body"))
            if "Fully paid" in body
        ]


@tagged("post_install", "-at_install")
class TestCrmOrderTaxes(CrmOrderAccountCommon):
    def test_excluded_tax_with_a_discount(self):
        order = self._order([(self.desk, 3, 100.0, 10.0)], confirm=False)
        line = order.line_ids
        self.assertEqual(line.tax_ids, self.tax_15)
        # 3 x 100 = 300, less 10 % = 270; 15 % of 270 = 40.50
        self.assertEqual(
            (line.price_undiscounted, line.price_subtotal, line.price_tax),
            (300.0, 270.0, 40.5),
        )
        self.assertEqual(line.price_total, 310.5)
        self.assertEqual(
            (
                order.amount_undiscounted,
                order.amount_discount,
                order.amount_untaxed,
                order.amount_tax,
                order.amount_total,
            ),
            (300.0, 30.0, 270.0, 40.5, 310.5),
        )
        self.assertEqual(order.tax_totals["total_amount_currency"], 310.5)

    def test_included_tax(self):
        order = self._order([(self.lamp, 2, 110.0, 0.0)], confirm=False)
        # 2 x 110 = 220 tax included at 10 %: 200 + 20
        self.assertEqual(
            (order.amount_untaxed, order.amount_tax, order.amount_total),
            (200.0, 20.0, 220.0),
        )

    def test_included_tax_with_a_discount(self):
        order = self._order([(self.lamp, 2, 110.0, 10.0)], confirm=False)
        line = order.line_ids
        # before the discount: 2 x 110 = 220 tax included at 10 %, 200 without tax;
        # after it: 2 x 99 = 198 tax included, 180 + 18
        self.assertEqual(
            (
                line.price_undiscounted,
                line.price_subtotal,
                line.price_tax,
                line.price_total,
            ),
            (200.0, 180.0, 18.0, 198.0),
        )
        self.assertEqual(
            (
                order.amount_undiscounted,
                order.amount_discount,
                order.amount_untaxed,
                order.amount_tax,
                order.amount_total,
            ),
            (200.0, 20.0, 180.0, 18.0, 198.0),
        )

    def test_fiscal_position_maps_the_taxes(self):
        position = self.env["account.fiscal.position"].create(
            {
                "name": "Reduced rate",
                "tax_ids": [
                    Command.create(
                        {"tax_src_id": self.tax_15.id, "tax_dest_id": self.tax_5.id}
                    )
                ],
            }
        )
        self.partner_b.property_account_position_id = position
        order = self._order([(self.desk, 1, 100.0, 0.0)], self.partner_b, False)
        self.assertEqual(order.fiscal_position_id, position)
        self.assertEqual(order.line_ids.tax_ids, self.tax_5)
        self.assertEqual((order.amount_tax, order.amount_total), (5.0, 105.0))

    def test_rounding_per_line_or_globally(self):
        lines = [(self.desk, 1, 1.03, 0.0)] * 3
        self.company.tax_calculation_rounding_method = "round_per_line"
        # 15 % of 1.03 = 0.1545, 0.15 per line: 0.45
        order = self._order(lines, confirm=False)
        self.assertEqual((order.amount_tax, order.amount_total), (0.45, 3.54))
        self.company.tax_calculation_rounding_method = "round_globally"
        # 15 % of 3.09 = 0.4635: 0.46
        order = self._order(lines, confirm=False)
        self.assertEqual((order.amount_tax, order.amount_total), (0.46, 3.55))

    def test_without_the_glue_the_total_was_untaxed(self):
        # the order's metrics and lists keep amount_untaxed as before
        order = self._order([(self.desk, 2, 50.0, 0.0)], confirm=False)
        self.assertEqual((order.amount_untaxed, order.amount_total), (100.0, 115.0))


@tagged("post_install", "-at_install")
class TestCrmOrderInvoicing(CrmOrderAccountCommon):
    def test_invoice_what_is_not_invoiced(self):
        order = self._order([(self.desk, 3, 100.0, 10.0), (self.lamp, 1, 110.0, 0.0)])
        self.assertEqual(order.invoice_status, "to invoice")
        invoice_ids = order.with_user(self.salesman).action_create_invoice()
        invoice = self.env["account.move"].browse(invoice_ids)
        self.assertEqual(len(invoice), 1)
        self.assertEqual(
            (
                invoice.move_type,
                invoice.state,
                invoice.partner_id,
                invoice.invoice_user_id,
                invoice.invoice_origin,
                invoice.fiscal_position_id,
                invoice.invoice_payment_term_id,
            ),
            (
                "out_invoice",
                "draft",
                self.customer,
                self.salesman,
                order.name,
                order.fiscal_position_id,
                order.payment_term_id,
            ),
        )
        self.assertEqual(
            [
                (line.product_id, line.quantity, line.price_unit, line.discount)
                for line in invoice.invoice_line_ids
            ],
            [(self.desk, 3.0, 100.0, 10.0), (self.lamp, 1.0, 110.0, 0.0)],
        )
        # 270 + 40.50, and 110 tax included
        self.assertEqual(invoice.amount_total, 420.5)
        self.assertEqual(invoice.amount_total, order.amount_total)
        self.assertEqual(order.invoice_ids, invoice)
        self.assertEqual(order.invoice_count, 1)
        self.assertEqual(invoice.crm_order_ids, order)
        self.assertEqual(order.line_ids.mapped("qty_invoiced"), [3.0, 1.0])
        self.assertEqual(order.invoice_status, "invoiced")
        with self.assertRaisesRegex(UserError, "There is nothing to invoice"):
            order.with_user(self.salesman).action_create_invoice()

        # two more desks: only they are invoiced next
        order.line_ids[0].with_user(self.salesman).quantity = 5
        self.assertEqual(order.line_ids[0].qty_to_invoice, 2.0)
        second = self.env["account.move"].browse(
            order.with_user(self.salesman).action_create_invoice()
        )
        self.assertEqual(second.invoice_line_ids.quantity, 2.0)
        self.assertEqual(order.invoice_count, 2)

        # a credit note of the first invoice gives its quantities back
        invoice.action_post()
        refund = invoice._reverse_moves()
        self.assertEqual(refund.move_type, "out_refund")
        self.assertEqual(order.line_ids.mapped("qty_invoiced"), [2.0, 0.0])
        self.assertEqual(order.line_ids.mapped("qty_to_invoice"), [3.0, 1.0])
        self.assertEqual(order.invoice_status, "to invoice")
        self.assertEqual(order.invoice_count, 3)

    def test_draft_orders_are_not_invoiced(self):
        order = self._order([(self.desk, 1, 100.0, 0.0)], confirm=False)
        self.assertEqual(order.invoice_status, "no")
        with self.assertRaisesRegex(UserError, "There is nothing to invoice"):
            order.action_create_invoice()

    def test_quantity_cannot_drop_below_the_invoiced_one(self):
        order = self._order([(self.desk, 3, 100.0, 0.0)])
        order.action_create_invoice()
        with self.assertRaisesRegex(UserError, "cannot drop below the 3.0 already"):
            order.line_ids.with_user(self.salesman).quantity = 2
        self.assertEqual(order.line_ids.quantity, 3.0)
        with self.assertRaisesRegex(UserError, "Invoiced lines cannot be deleted"):
            order.line_ids.with_user(self.salesman).unlink()

    def test_salesperson_without_invoicing_rights_creates_no_invoice(self):
        seller = new_test_user(
            self.env,
            login="crm_acc_seller_only",
            groups="sales_team.group_sale_salesman_all_leads",
        )
        order = self._order([(self.desk, 1, 100.0, 0.0)])
        with self.assertRaises(AccessError):
            order.with_user(seller).action_create_invoice()
        self.assertFalse(order.invoice_ids)

    def test_salesperson_without_invoicing_rights_cancels_through_the_dialog(self):
        seller = new_test_user(
            self.env,
            login="crm_acc_seller_cancel",
            groups="sales_team.group_sale_salesman_all_leads",
        )
        order = self._order([(self.desk, 1, 100.0, 0.0)])
        invoice = self.env["account.move"].browse(order.action_create_invoice())
        invoice.action_post()
        wizard = (
            self.env["crm.order.cancel"]
            .with_user(seller)
            .create(
                {
                    "order_id": order.id,
                    "cancel_reason_id": self.cancel_reason.id,
                    "keep_open_invoices": True,
                }
            )
        )
        self.assertEqual(wizard.open_invoices, invoice.name)
        wizard.action_confirm()
        self.assertEqual(order.status_id, self.status_cancelled)

    def test_invoice_lines_invoice_their_own_customer_only(self):
        order = self._order([(self.desk, 1, 100.0, 0.0)])
        other = self.init_invoice(
            "out_invoice", partner=self.partner_b, products=[self.desk]
        )
        with self.assertRaises(UserError) as caught:
            with_server_values(
                other.invoice_line_ids
            ).crm_order_line_ids = order.line_ids
        self.assertIn("its own company and customer only", str(caught.exception))
        self.env.invalidate_all()
        self.assertFalse(other.invoice_line_ids.crm_order_line_ids)
        self.assertEqual(order.line_ids.qty_invoiced, 0.0)


@tagged("post_install", "-at_install")
class TestCrmOrderPayments(CrmOrderAccountCommon):
    def _invoiced(self, lines=None):
        order = self._order(lines or [(self.desk, 2, 100.0, 0.0)])
        invoice = self.env["account.move"].browse(order.action_create_invoice())
        invoice.action_post()
        return order, invoice

    def test_full_payment_moves_the_order_once(self):
        order, invoice = self._invoiced()
        self.assertEqual(order.payment_state, "not_paid")
        payment = self._pay(invoice, user=self.accountant)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(order.payment_state, "paid")
        self.assertEqual(order.status_id, self.status_shipment)
        # the history row names the payment as the trigger, the chatter both
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
        # the payment reconciled with the bank later: no second move
        self.assertTrue(payment)
        order._move_on_when_paid(invoice, payment)
        self.assertEqual(len(self._moves_to_shipment(order)), 1)

    def test_partial_payment_does_not_move_the_order(self):
        order, invoice = self._invoiced()
        # 2 x 100 + 15 % = 230
        self.assertEqual(invoice.amount_total, 230.0)
        first = self._pay(invoice, amount=100.0)
        self.assertEqual(order.payment_state, "partial")
        self.assertEqual(order.status_id, self.status_payment)
        second = self._pay(invoice, amount=130.0)
        self.assertEqual(order.payment_state, "paid")
        self.assertEqual(order.status_id, self.status_shipment)
        # the payment that completed it is the trigger
        (move,) = self._moves_to_shipment(order)
        self.assertNotEqual(first, second)
        self.assertEqual(move.trigger_ref, second)
        self.assertEqual(
            self._paid_notes(order),
            [
                f"Fully paid (payment {second.name} of {invoice.name}): moved to "
                "Awaiting Shipment."
            ],
        )

    def test_order_not_fully_invoiced_is_not_paid(self):
        order = self._order([(self.desk, 2, 100.0, 0.0)])
        invoice = self.env["account.move"].browse(order.action_create_invoice())
        invoice.invoice_line_ids.quantity = 1
        invoice.action_post()
        self._pay(invoice)
        self.assertEqual(order.line_ids.qty_to_invoice, 1.0)
        self.assertEqual(order.payment_state, "partial")
        self.assertEqual(order.status_id, self.status_payment)

    def test_reversed_payment_leaves_the_order_and_warns(self):
        order, invoice = self._invoiced()
        payment = self._pay(invoice)
        self.assertEqual(order.status_id, self.status_shipment)
        payment.action_draft()
        self.assertEqual(invoice.payment_state, "not_paid")
        self.assertEqual(order.payment_state, "not_paid")
        self.assertEqual(order.status_id, self.status_shipment)
        activity = order.activity_ids.filtered(
            lambda a: a.summary == "Payment reversed"
        )
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.salesman)

    def test_no_automatic_transition_no_move(self):
        transition = self.env.ref(
            "crm_order_management.order_transition_awaiting_payment_awaiting_shipment"
        )
        transition.automatic = False
        order, invoice = self._invoiced()
        # the payment is registered; the order stays, with a note saying why
        payment = self._pay(invoice)
        self.assertEqual(order.payment_state, "paid")
        self.assertEqual(order.status_id, self.status_payment)
        self.assertEqual(
            self._paid_notes(order),
            [
                f"Fully paid (payment {payment.name} of {invoice.name}), but no "
                "transition allows the system to move it from Awaiting Payment to "
                "Awaiting Shipment."
            ],
        )

    def test_cancel_with_unpaid_invoices_says_so(self):
        order, invoice = self._invoiced()
        with self.assertRaisesRegex(
            UserError, f"These posted invoices are not paid: {invoice.name}"
        ):
            order.with_user(self.salesman).action_set_status(
                self.status_cancelled.id, cancel_reason_id=self.cancel_reason.id
            )
        self.assertEqual(order.status_id, self.status_payment)
        wizard = Form(
            self.env["crm.order.cancel"]
            .with_user(self.salesman)
            .with_context(default_order_id=order.id)
        )
        wizard.cancel_reason_id = self.cancel_reason
        wizard = wizard.save()
        self.assertEqual(wizard.open_invoices, invoice.name)
        with self.assertRaisesRegex(UserError, "tick Cancel With Unpaid Invoices"):
            wizard.action_confirm()
        self.assertEqual(order.status_id, self.status_payment)
        wizard.keep_open_invoices = True
        wizard.action_confirm()
        self.assertEqual(order.status_id, self.status_cancelled)
        self.assertEqual(invoice.state, "posted")


@tagged("post_install", "-at_install")
class TestCrmOrderPaymentsXmlrpc(
    XmlrpcMixin, AccountTestInvoicingHttpCommon, CrmOrderAccountCommon
):
    """The payment registered over XML-RPC by a user with only Invoicing rights
    moves the order, once; derived invoicing fields are the server's."""

    def test_payment_over_xmlrpc_moves_the_order(self):
        order = self._order([(self.desk, 2, 100.0, 0.0)])
        invoice_ids = self.rpc(
            self.salesman, "crm.order", "action_create_invoice", [order.id]
        )
        self.rpc(self.accountant, "account.move", "action_post", invoice_ids)
        context = {"active_model": "account.move", "active_ids": invoice_ids}
        wizard_id = self.rpc(
            self.accountant, "account.payment.register", "create", {}, context=context
        )
        self.rpc(
            self.accountant,
            "account.payment.register",
            "action_create_payments",
            [wizard_id],
            context=context,
        )
        self.env.invalidate_all()
        self.assertEqual(order.status_id, self.status_shipment)
        (move,) = self._moves_to_shipment(order)
        payment = (
            self.env["account.move"].browse(invoice_ids)._get_reconciled_payments()
        )
        self.assertEqual(len(payment), 1)
        self.assertEqual(
            (move.change_type, move.user_id, move.trigger_ref),
            ("system", self.accountant, payment),
        )

    @mute_logger("odoo.http")
    def test_invoice_lines_are_linked_by_the_server_only(self):
        """An accountant cannot make an order invoiced (and paid, by a cheap
        invoice) by linking invoice lines to its lines."""
        order = self._order([(self.desk, 2, 100.0, 0.0)])
        with self.assertRaises(xmlrpc.client.Fault) as caught:
            self.rpc(
                self.accountant,
                "account.move",
                "create",
                {
                    "move_type": "out_invoice",
                    "partner_id": self.customer.id,
                    "invoice_line_ids": [
                        [
                            0,
                            0,
                            {
                                "name": "cheap",
                                "quantity": 2,
                                "price_unit": 0.01,
                                "crm_order_line_ids": [[6, 0, order.line_ids.ids]],
                            },
                        ]
                    ],
                },
            )
        self.assertIn("(crm_order_line_ids)", caught.exception.faultString)
        invoice_ids = self.rpc(
            self.salesman, "crm.order", "action_create_invoice", [order.id]
        )
        line_id = self.env["account.move"].browse(invoice_ids).invoice_line_ids.id
        with self.assertRaises(xmlrpc.client.Fault) as caught:
            self.rpc(
                self.accountant,
                "account.move.line",
                "write",
                [line_id],
                {"crm_order_line_ids": [[5, 0, 0]]},
            )
        self.assertIn("(crm_order_line_ids)", caught.exception.faultString)
        self.env.invalidate_all()
        self.assertEqual(order.line_ids.invoice_line_ids.ids, [line_id])

    def test_an_invoice_for_less_than_the_order_does_not_pay_it(self):
        order = self._order([(self.desk, 2, 100.0, 0.0)])
        invoice_ids = self.rpc(
            self.salesman, "crm.order", "action_create_invoice", [order.id]
        )
        # the salesperson gives the invoice away, then it is paid
        invoice = self.env["account.move"].browse(invoice_ids)
        self.rpc(
            self.salesman,
            "account.move",
            "write",
            invoice_ids,
            {
                "invoice_line_ids": [
                    [1, invoice.invoice_line_ids.id, {"discount": 100.0}]
                ]
            },
        )
        self.rpc(self.accountant, "account.move", "action_post", invoice_ids)
        self.env.invalidate_all()
        self.assertEqual(invoice.amount_total, 0.0)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(order.invoice_status, "invoiced")
        self.assertEqual(order.payment_state, "not_paid")
        self.assertEqual(order.status_id, self.status_payment)

    @mute_logger("odoo.http")
    def test_client_context_cannot_import_history_or_skip_the_cancel_rule(self):
        order = self._order([(self.desk, 2, 100.0, 0.0)])
        invoice_ids = self.rpc(
            self.salesman, "crm.order", "action_create_invoice", [order.id]
        )
        self.rpc(self.accountant, "account.move", "action_post", invoice_ids)
        # the cancel rule: its confirmation is not a context key a client sends
        with self.assertRaises(xmlrpc.client.Fault) as caught:
            self.rpc(
                self.salesman,
                "crm.order",
                "action_set_status",
                [order.id],
                self.status_cancelled.id,
                cancel_reason_id=self.cancel_reason.id,
                context={"crm_order_cancel_open_invoices": True},
            )
        self.assertIn(
            "These posted invoices are not paid", caught.exception.faultString
        )
        # the history import mode: not through the payment's sudo()
        context = {
            "active_model": "account.move",
            "active_ids": invoice_ids,
            "crm_order_import": self.env.ref("base.user_admin").id,
        }
        wizard_id = self.rpc(
            self.accountant, "account.payment.register", "create", {}, context=context
        )
        self.rpc(
            self.accountant,
            "account.payment.register",
            "action_create_payments",
            [wizard_id],
            context=context,
        )
        self.env.invalidate_all()
        (move,) = self._moves_to_shipment(order)
        self.assertEqual((move.change_type, move.user_id), ("system", self.accountant))

    @mute_logger("odoo.http")
    def test_invoicing_fields_are_the_servers(self):
        order = self._order([(self.desk, 1, 100.0, 0.0)])
        for vals, field in (
            ({"payment_state": "paid"}, "payment_state"),
            ({"invoice_status": "invoiced"}, "invoice_status"),
            ({"amount_tax": 0.0}, "amount_tax"),
        ):
            with self.subTest(field=field):
                with self.assertRaises(xmlrpc.client.Fault) as caught:
                    self.rpc(self.salesman, "crm.order", "write", [order.id], vals)
                self.assertIn(f"({field})", caught.exception.faultString)
        with self.assertRaises(xmlrpc.client.Fault) as caught:
            self.rpc(
                self.salesman,
                "crm.order.line",
                "write",
                order.line_ids.ids,
                {"invoice_line_ids": [[6, 0, []]]},
            )
        self.assertIn("(invoice_line_ids)", caught.exception.faultString)
        self.env.invalidate_all()
        self.assertEqual(
            (order.payment_state, order.invoice_status, order.amount_tax),
            ("not_paid", "to invoice", 15.0),
        )


@tagged("post_install", "-at_install")
class TestEveryGlueField(CrmOrderAccountCommon):
    """Every stored field this addon adds to the orders is writable by design (the
    list below) or owned by the server (refused to clients with its name, see
    TestCrmOrderPaymentsXmlrpc for the refusal over XML-RPC)."""

    WRITABLE = {
        "crm.order": {"fiscal_position_id", "payment_term_id"},
        "crm.order.line": {"tax_ids"},
        # configuration, by sales managers
        "crm.order.status": {"paid_next_status_id"},
    }

    def test_every_stored_field_is_classified(self):
        module = "crm_order_management_account"
        seen = set()
        for model, writable in self.WRITABLE.items():
            Model = self.env[model]
            added = {
                name
                for name, field in Model._fields.items()
                if field.store and module in field._modules
            }
            seen |= {(model, name) for name in added}
            owned = server_owned_fields(Model)
            self.assertEqual(
                sorted(added - writable - owned),
                [],
                f"{model}: fields neither writable by design nor the server's",
            )
            self.assertFalse(writable & owned, model)
        self.assertEqual(
            sorted(seen),
            [
                ("crm.order", "amount_tax"),
                ("crm.order", "fiscal_position_id"),
                ("crm.order", "invoice_status"),
                ("crm.order", "payment_state"),
                ("crm.order", "payment_term_id"),
                ("crm.order.line", "invoice_line_ids"),
                ("crm.order.line", "invoice_status"),
                ("crm.order.line", "price_tax"),
                ("crm.order.line", "price_total"),
                ("crm.order.line", "qty_invoiced"),
                ("crm.order.line", "qty_to_invoice"),
                ("crm.order.line", "tax_ids"),
                ("crm.order.status", "paid_next_status_id"),
            ],
        )


@tagged("post_install", "-at_install")
class TestCrmOrderPortalInvoices(AccountTestInvoicingHttpCommon, CrmOrderAccountCommon):
    def test_order_page_links_its_posted_invoices(self):
        order = self._order([(self.desk, 1, 100.0, 0.0)])
        draft = self.env["account.move"].browse(order.action_create_invoice())
        page = self.url_open(order.get_portal_url())
        self.assertEqual(page.status_code, 200)
        self.assertNotIn("crm_order_documents", page.text)
        draft.action_post()
        page = self.url_open(order.get_portal_url())
        self.assertIn(draft.name, page.text)
        self.assertIn(f"/my/invoices/{draft.id}?access_token=", page.text)

    def test_order_page_shows_untaxed_amount_taxes_and_total(self):
        """The totals as sale's portal shows them: the discount, then Untaxed
        Amount, each tax group and Total (account's tax totals)."""
        TaxGroup = self.env["account.tax.group"]
        self.tax_15.tax_group_id = TaxGroup.create(
            {"name": "VAT 15%", "company_id": self.company.id, "sequence": 1}
        )
        self.tax_10_included.tax_group_id = TaxGroup.create(
            {"name": "VAT 10%", "company_id": self.company.id, "sequence": 2}
        )
        # desk: 3 x 100 = 300 less 10 % = 270, 15 % of it 40.50; lamp: 2 x 110 =
        # 220 tax included at 10 %, 200 + 20. Untaxed 470, taxes 60.50, total
        # 530.50; discount 300 + 200 - 470 = 30
        order = self._order([(self.desk, 3, 100.0, 10.0), (self.lamp, 2, 110.0, 0.0)])
        page = self.url_open(order.get_portal_url())
        self.assertEqual(page.status_code, 200)
        table = re.search(
            r'<table id="crm_order_totals".*?</table>', page.text, flags=re.DOTALL
        ).group(0)
        rows = [
            [
                " ".join(
                    re.sub(r"<[^>]+>", " ", cell)
                    .replace("&nbsp;", " ")
                    .replace("\xa0", " ")
                    .split()
                )
                for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.DOTALL)
            ]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, flags=re.DOTALL)
        ]
        self.assertEqual(
            rows,
            [
                ["Discount", "$ 30.00"],
                ["Untaxed Amount", "$ 470.00"],
                # the groups' bases differ: each tax says on what
                ["VAT 15% on $ 270.00", "$ 40.50"],
                ["VAT 10% on $ 200.00", "$ 20.00"],
                ["Total", "$ 530.50"],
            ],
        )
