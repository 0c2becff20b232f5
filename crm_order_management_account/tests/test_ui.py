# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import tagged

from odoo.addons.account.tests.common import AccountTestInvoicingHttpCommon
from odoo.addons.crm_order_management.tests.common import warm_up_static_paths

from .test_crm_order_account import CrmOrderAccountCommon


@tagged("post_install", "-at_install")
class TestUiPayment(AccountTestInvoicingHttpCommon, CrmOrderAccountCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        warm_up_static_paths()

    def test_paying_the_invoice_in_the_web_client_moves_the_order(self):
        # 2 x 100 + 15 % = 230, invoiced, confirmed and paid in the web client by a
        # salesperson with Invoicing rights
        order = self._order([(self.desk, 2, 100.0, 0.0)])
        self.assertEqual(order.status_id, self.status_payment)
        self.start_tour(
            f"/odoo/action-crm_order_management.crm_order_action/{order.id}",
            "crm_order_account_payment_tour",
            login=self.salesman.login,
        )
        invoice = order.invoice_ids
        self.assertEqual(
            (invoice.state, invoice.amount_total, order.payment_state),
            ("posted", 230.0, "paid"),
        )
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(order.status_id, self.status_shipment)
        (move,) = self._moves_to_shipment(order)
        payment = invoice._get_reconciled_payments()
        self.assertEqual(len(payment), 1)
        self.assertEqual(
            (move.status_from_id, move.change_type, move.user_id, move.trigger_ref),
            (self.status_payment, "system", self.salesman, payment),
        )
