# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""With Invoicing and Inventory, statuses move orders on by themselves when paid
and when delivered: no loop of the two together (each addon refuses its own)."""

from odoo.tests import HttpCase, tagged
from odoo.tests.common import new_test_user

from odoo.addons.crm_order_management.tests.common import XmlrpcMixin


@tagged("post_install", "-at_install")
class TestMixedStatusLoops(XmlrpcMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.payment = ref("crm_order_management.order_status_awaiting_payment")
        cls.shipment = ref("crm_order_management.order_status_awaiting_shipment")
        cls.receipt = ref("crm_order_management.order_status_awaiting_receipt")
        cls.completed = ref("crm_order_management.order_status_completed")
        cls.manager = new_test_user(
            cls.env,
            login="crm_order_loop_manager",
            groups="sales_team.group_sale_manager",
        )

    def test_paid_and_delivered_moves_do_not_loop(self):
        # the default configuration: paid in Awaiting Payment moves to Awaiting
        # Shipment, delivered there moves to Awaiting Receipt
        self.assertEqual(
            (self.payment.paid_next_status_id, self.shipment.delivered_status_id),
            (self.shipment, self.receipt),
        )
        # paid in Awaiting Receipt back to Awaiting Payment would close the loop:
        # a paid order of services only would go round for ever
        self.assertRefused(
            "Orders would move on by themselves round a loop of statuses: Awaiting "
            "Receipt → Awaiting Payment → Awaiting Shipment → Awaiting Receipt. Clear "
            "the status they move on to on one of them.",
            self.manager,
            "crm.order.status",
            "write",
            self.receipt.ids,
            {"paid_next_status_id": self.payment.id},
        )
        self.assertFalse(self.receipt.paid_next_status_id)
        # the same from the other side: delivered in Awaiting Receipt back to
        # Awaiting Payment, where the order is paid already
        self.assertRefused(
            "Orders would move on by themselves round a loop of statuses: Awaiting "
            "Receipt → Awaiting Payment → Awaiting Shipment → Awaiting Receipt.",
            self.manager,
            "crm.order.status",
            "write",
            self.receipt.ids,
            {"delivered_status_id": self.payment.id},
        )
        self.assertFalse(self.receipt.delivered_status_id)
        # a chain without a loop is kept: paid in Awaiting Receipt, completed
        self.rpc(
            self.manager,
            "crm.order.status",
            "write",
            self.receipt.ids,
            {"paid_next_status_id": self.completed.id},
        )
        self.assertEqual(self.receipt.paid_next_status_id, self.completed)
