# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import TransactionCase, tagged

MODULE = "crm_order_management_stock"


@tagged("post_install", "-at_install")
class TestDemoDeliveries(TransactionCase):
    """The demo data shows what it promises (the addon's tests run on a database
    installed with it): two orders delivered and moved on by their delivery, one
    partially delivered with a backorder, one waiting for its delivery, whose
    validation moves it on."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.shipment = ref("crm_order_management.order_status_awaiting_shipment")
        cls.receipt = ref("crm_order_management.order_status_awaiting_receipt")
        cls.admin = ref("base.user_admin")
        cls.chair = ref("crm_order_management.product_office_chair_demo")
        cls.desk = ref("crm_order_management.product_standing_desk_demo")
        cls.monitor = ref("crm_order_management.product_monitor_4k_demo")
        cls.installation = ref("crm_order_management.product_installation_demo")

    def _order(self, name):
        return self.env.ref(f"{MODULE}.{name}")

    def _lines(self, order):
        return [
            (line.product_id, line.quantity, line.qty_delivered)
            for line in order.line_ids.sorted("id")
        ]

    def _pickings(self, order):
        return [
            (
                picking.state,
                [(m.product_id, m.product_uom_qty) for m in picking.move_ids],
            )
            for picking in order.picking_ids.sorted("id")
        ]

    def _history(self, order):
        return [
            (row.status_from_id.name or False, row.status_to_id.name, row.change_type)
            for row in order.status_history_ids.sorted("id")
        ]

    def test_delivered_orders(self):
        first = self._order("order_delivered_1_demo")
        second = self._order("order_delivered_2_demo")
        for order in first | second:
            self.assertEqual(order.status_id, self.receipt)
            self.assertEqual(order.delivery_status, "delivered")
            self.assertEqual(order.delivery_count, 1)
            last = order.status_history_ids.sorted("id")[-1]
            self.assertEqual(
                (last.status_from_id, last.status_to_id, last.change_type),
                (self.shipment, self.receipt, "system"),
            )
            self.assertEqual(last.trigger_ref, order.picking_ids)
        self.assertEqual(
            self._lines(first), [(self.chair, 4.0, 4.0), (self.desk, 2.0, 2.0)]
        )
        self.assertEqual(
            self._pickings(first), [("done", [(self.chair, 4.0), (self.desk, 2.0)])]
        )
        # the service is not delivered through Inventory
        self.assertEqual(
            self._lines(second),
            [(self.monitor, 3.0, 3.0), (self.installation, 2.0, 0.0)],
        )
        self.assertEqual(self._pickings(second), [("done", [(self.monitor, 3.0)])])

    def test_partially_delivered_order(self):
        order = self._order("order_partially_delivered_demo")
        self.assertEqual(order.status_id, self.shipment)
        self.assertEqual(order.delivery_status, "partial")
        self.assertEqual(self._lines(order), [(self.chair, 10.0, 6.0)])
        self.assertEqual(
            self._pickings(order),
            [("done", [(self.chair, 6.0)]), ("assigned", [(self.chair, 4.0)])],
        )
        done, backorder = order.picking_ids.sorted("id")
        self.assertEqual(backorder.backorder_id, done)

    def test_validating_the_waiting_delivery_moves_the_order_on(self):
        order = self._order("order_to_deliver_demo")
        self.assertEqual(order.status_id, self.shipment)
        self.assertEqual(order.delivery_status, "pending")
        self.assertEqual(
            self._lines(order), [(self.desk, 1.0, 0.0), (self.monitor, 2.0, 0.0)]
        )
        self.assertEqual(
            self._pickings(order),
            [("assigned", [(self.desk, 1.0), (self.monitor, 2.0)])],
        )
        history = [
            (False, "Draft", "user"),
            ("Draft", "Awaiting Payment", "user"),
            ("Awaiting Payment", "Awaiting Shipment", "user"),
        ]
        self.assertEqual(self._history(order), history)

        picking = order.picking_ids
        result = (
            picking.with_user(self.admin).with_context(skip_sms=True).button_validate()
        )
        self.assertIs(result, True)
        self.assertEqual(picking.state, "done")
        self.assertEqual(order.status_id, self.receipt)
        self.assertEqual(order.delivery_status, "delivered")
        self.assertEqual(
            self._lines(order), [(self.desk, 1.0, 1.0), (self.monitor, 2.0, 2.0)]
        )
        self.assertEqual(
            self._history(order),
            [*history, ("Awaiting Shipment", "Awaiting Receipt", "system")],
        )
        last = order.status_history_ids.sorted("id")[-1]
        self.assertEqual(last.trigger_ref, picking)
        self.assertEqual(last.user_id, self.admin)
