# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import CrmOrderStockCommon


@tagged("post_install", "-at_install")
class TestDeliveredStatusChain(CrmOrderStockCommon):
    """ "When Delivered, Move To" does not loop: an order of services only would
    move on along the loop for ever."""

    def test_a_loop_of_two_statuses_is_refused(self):
        self.assertEqual(self.status_shipment.delivered_status_id, self.status_receipt)
        with self.assertRaises(ValidationError) as caught:
            self.status_receipt.with_user(self.manager).write(
                {"delivered_status_id": self.status_shipment.id}
            )
        self.assertEqual(
            str(caught.exception),
            "The statuses orders move on to once delivered cannot loop: Awaiting "
            'Receipt → Awaiting Shipment → Awaiting Receipt. Clear "When Delivered, '
            'Move To" on one of them.',
        )
        self.assertFalse(self.status_receipt.delivered_status_id)

    def test_a_longer_loop_is_refused_a_chain_is_not(self):
        status = self.status_payment.with_user(self.manager)
        # Awaiting Payment → Awaiting Shipment → Awaiting Receipt: a chain
        status.delivered_status_id = self.status_shipment
        self.assertEqual(self.status_payment.delivered_status_id, self.status_shipment)
        with self.assertRaises(ValidationError) as caught:
            self.status_receipt.with_user(
                self.manager
            ).delivered_status_id = self.status_payment
        self.assertIn(
            "cannot loop: Awaiting Receipt → Awaiting Payment → Awaiting Shipment → "
            "Awaiting Receipt.",
            str(caught.exception),
        )
        self.assertFalse(self.status_receipt.delivered_status_id)

    def test_itself_is_refused(self):
        with self.assertRaises(ValidationError) as caught:
            self.status_receipt.with_user(
                self.manager
            ).delivered_status_id = self.status_receipt
        self.assertEqual(
            str(caught.exception),
            "Status Awaiting Receipt cannot move on to itself when its orders are "
            "delivered.",
        )
        self.assertFalse(self.status_receipt.delivered_status_id)

    def test_services_only_order_moves_along_the_chain_once(self):
        # both moves allowed to the system: Awaiting Payment delivers and moves on
        # to Awaiting Shipment, which moves on to Awaiting Receipt
        self.status_payment.write(
            {"deliver_on_enter": True, "delivered_status_id": self.status_shipment.id}
        )
        self.env.ref(
            "crm_order_management.order_transition_awaiting_payment_awaiting_shipment"
        ).automatic = True
        order = self._create_order(
            lines=[], line_ids=[self._line(1.0, 50.0, 0.0, self.service)]
        )
        self._move(order, self.status_payment)
        self.assertEqual(order.status_id, self.status_receipt)
        self.assertEqual(
            self._history(order),
            [
                (False, "Draft", "user", False),
                ("Draft", "Awaiting Payment", "user", False),
                ("Awaiting Payment", "Awaiting Shipment", "system", False),
                ("Awaiting Shipment", "Awaiting Receipt", "system", False),
            ],
        )
