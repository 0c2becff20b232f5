# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CrmOrderStockCommon, CrmOrderStockXmlrpcCase

SHIP = "Awaiting Shipment"
RECEIPT = "Awaiting Receipt"
PAYMENT = "Awaiting Payment"


@tagged("post_install", "-at_install")
class TestDeliveryCreation(CrmOrderStockCommon):
    def test_entering_awaiting_shipment_creates_the_delivery(self):
        order = self._create_order(
            lines=[],
            line_ids=[
                self._line(3.0, 20.0, 0.0, self.chair),
                self._line(2.0, 5.0, 0.0, self.lamp),
                self._line(1.0, 50.0, 0.0, self.service),
            ],
        )
        self._move(order, self.status_payment)
        self.assertFalse(order.picking_ids)
        self.assertFalse(order.delivery_status)
        self._move(order, self.status_shipment)

        self.assertEqual(order.status_id, self.status_shipment)
        picking = order.picking_ids
        self.assertEqual(len(picking), 1)
        self.assertEqual(order.delivery_count, 1)
        self.assertEqual(picking.crm_order_id, order)
        self.assertEqual(picking.picking_type_id, self.warehouse.out_type_id)
        self.assertEqual(picking.partner_id, self.customer)
        self.assertEqual(picking.origin, order.name)
        self.assertEqual(picking.state, "assigned")
        self.assertEqual(order.procurement_group_id, picking.group_id)
        self.assertEqual(order.procurement_group_id.name, order.name)
        self.assertEqual(order.procurement_group_id.crm_order_id, order)
        chair_line, lamp_line, service_line = order.line_ids.sorted("id")
        # goods only, one move per line, from stock to the customer
        self.assertEqual(
            sorted(
                (m.product_id.name, m.product_uom_qty, m.crm_order_line_id.id)
                for m in picking.move_ids
            ),
            [("Desk Lamp", 2.0, lamp_line.id), ("Office Chair", 3.0, chair_line.id)],
        )
        self.assertEqual(picking.move_ids.location_id, self.stock_location)
        self.assertEqual(picking.move_ids.location_dest_id, self.customer_location)
        self.assertFalse(service_line.move_ids)
        self.assertEqual(
            order.line_ids.sorted("id").mapped("qty_delivered"), [0.0, 0.0, 0.0]
        )
        self.assertEqual(order.delivery_status, "pending")
        # reserved in the warehouse
        self.assertEqual(
            self.chair.with_context(warehouse_id=self.warehouse.id).free_qty, 97.0
        )

    def test_entering_another_status_creates_no_delivery(self):
        order = self._goods_order((self.chair, 1.0))
        self._move(order, self.status_payment)
        self.assertFalse(
            self.env["stock.picking"].search([("crm_order_id", "=", order.id)])
        )
        self.assertFalse(order.procurement_group_id)

    def test_configured_status_delivers(self):
        # Awaiting Payment configured to deliver instead
        self.status_payment.deliver_on_enter = True
        order = self._goods_order((self.chair, 4.0))
        self._move(order, self.status_payment)
        self.assertEqual(order.picking_ids.move_ids.product_uom_qty, 4.0)
        # entering Awaiting Shipment later asks for nothing more
        self._move(order, self.status_shipment)
        self.assertEqual(len(order.picking_ids), 1)
        self.assertEqual(order.picking_ids.move_ids.product_uom_qty, 4.0)

    def test_line_added_while_awaiting_shipment_is_delivered_too(self):
        with freeze_time("2026-03-02 10:00:00"):
            order = self._to_shipment(self._goods_order((self.chair, 2.0)))
        # minutes later: the chair's increase joins the move asked before (same
        # deadline: when the order entered the status), not a second move
        with freeze_time("2026-03-02 10:07:30"):
            order.with_user(self.salesman).write(
                {"line_ids": [self._line(5.0, 10.0, 0.0, self.lamp)]}
            )
            order.line_ids.filtered(
                lambda line: line.product_id == self.chair
            ).with_user(self.salesman).quantity = 3.0
        self.assertEqual(len(order.picking_ids), 1)
        self.assertEqual(
            sorted(
                (m.product_id.name, m.product_uom_qty)
                for m in order.picking_ids.move_ids
            ),
            [("Desk Lamp", 5.0), ("Office Chair", 3.0)],
        )

    def test_delivery_button_opens_the_deliveries(self):
        order = self._to_shipment(self._goods_order((self.chair, 5.0)))
        picking = order.picking_ids
        action = order.with_user(self.stock_user).action_view_delivery()
        self.assertEqual(action["res_model"], "stock.picking")
        self.assertEqual(action["res_id"], picking.id)
        self.assertEqual(
            action["views"], [(self.env.ref("stock.view_picking_form").id, "form")]
        )
        self._validate(picking, {self.chair: 2.0})
        action = order.with_user(self.stock_user).action_view_delivery()
        self.assertEqual(
            self.env["stock.picking"].search(action["domain"]), order.picking_ids
        )
        self.assertEqual(len(order.picking_ids), 2)
        # the button is for Inventory users
        arch = order.with_user(self.salesman).get_views([(False, "form")])["views"][
            "form"
        ]["arch"]
        self.assertNotIn("action_view_delivery", arch)
        arch = order.with_user(self.stock_user).get_views([(False, "form")])["views"][
            "form"
        ]["arch"]
        self.assertIn("action_view_delivery", arch)

    def test_salesperson_without_inventory_rights_starts_the_delivery(self):
        self.assertFalse(self.salesman.has_group("stock.group_stock_user"))
        order = self._to_shipment(self._goods_order((self.chair, 1.0)))
        self.assertEqual(order.delivery_count, 1)
        self.assertEqual(order.with_user(self.salesman).delivery_status, "pending")


@tagged("post_install", "-at_install")
class TestDeliveryMovesTheOrder(CrmOrderStockCommon):
    def test_partial_delivery_with_backorder_then_the_rest(self):
        order = self._to_shipment(
            self._goods_order((self.chair, 10.0), (self.lamp, 4.0))
        )
        picking = order.picking_ids
        self._validate(picking, {self.chair: 6.0, self.lamp: 4.0})

        backorder = order.picking_ids - picking
        self.assertEqual(len(backorder), 1)
        self.assertEqual(backorder.backorder_id, picking)
        self.assertEqual(backorder.crm_order_id, order)
        self.assertEqual(backorder.move_ids.product_uom_qty, 4.0)
        self.assertEqual(backorder.move_ids.crm_order_line_id.product_id, self.chair)
        chair_line, lamp_line = order.line_ids.sorted("id")
        self.assertEqual(chair_line.qty_delivered, 6.0)
        self.assertEqual(lamp_line.qty_delivered, 4.0)
        self.assertEqual(order.delivery_status, "partial")
        self.assertEqual(order.delivery_count, 2)
        # not all delivered: the order waits
        self.assertEqual(order.status_id, self.status_shipment)
        self.assertEqual(len(order.status_history_ids), 3)

        self._validate(backorder)
        self.assertEqual(chair_line.qty_delivered, 10.0)
        self.assertEqual(order.delivery_status, "delivered")
        self.assertEqual(order.status_id, self.status_receipt)
        self.assertEqual(
            self._history(order),
            [
                (False, "Draft", "user", False),
                ("Draft", PAYMENT, "user", False),
                (PAYMENT, SHIP, "user", False),
                (SHIP, RECEIPT, "system", f"stock.picking,{backorder.id}"),
            ],
        )
        # the activity of Awaiting Shipment ended with it
        self.assertFalse(
            order.activity_ids.filtered(lambda a: a.summary == "Prepare the shipment")
        )

    def test_full_delivery_by_an_inventory_user_moves_the_order_once(self):
        order = self._to_shipment(self._goods_order((self.chair, 2.0)))
        self.assertFalse(self.stock_user.has_group("sales_team.group_sale_salesman"))
        picking = order.picking_ids
        self._validate(picking, user=self.stock_user)

        self.assertEqual(order.status_id, self.status_receipt)
        last = order.status_history_ids.sorted("id")[-1]
        self.assertEqual(last.user_id, self.stock_user)
        self.assertEqual(last.change_type, "system")
        self.assertEqual(last.trigger_ref, picking)
        self.assertEqual(len(order.status_history_ids), 4)
        self.assertEqual(order.line_ids.qty_delivered, 2.0)
        # the order is in Awaiting Receipt: a second validated delivery (a
        # re-delivery after a return) does not move it again
        returned = self._return(picking, {self.chair: 2.0})
        self.assertEqual(order.line_ids.qty_delivered, 0.0)
        self.assertEqual(order.status_id, self.status_receipt)
        self.assertEqual(len(order.status_history_ids), 4)
        self.assertEqual(returned.crm_order_id, order)

    def test_no_backorder_leaves_the_order_waiting(self):
        order = self._to_shipment(self._goods_order((self.chair, 5.0)))
        self._validate(order.picking_ids, {self.chair: 3.0}, backorder=False)
        self.assertEqual(order.line_ids.qty_delivered, 3.0)
        self.assertEqual(order.delivery_status, "partial")
        self.assertEqual(order.status_id, self.status_shipment)
        # moved on by hand, as before
        self._move(order, self.status_receipt)
        self.assertEqual(order.status_history_ids.sorted("id")[-1].change_type, "user")

    def test_transition_not_allowed_to_the_system_keeps_the_order(self):
        self.env.ref(
            "crm_order_management.order_transition_awaiting_shipment_awaiting_receipt"
        ).automatic = False
        order = self._to_shipment(self._goods_order((self.chair, 1.0)))
        self._validate(order.picking_ids, user=self.stock_user)
        self.assertEqual(order.status_id, self.status_shipment)
        self.assertEqual(order.delivery_status, "delivered")
        self.assertIn(
            "the system may not move the order",
            order.message_ids[0].body,
        )

    def test_services_only_order_moves_on_at_once(self):
        order = self._create_order(
            lines=[], line_ids=[self._line(2.0, 50.0, 0.0, self.service)]
        )
        self._to_shipment(order)
        self.assertEqual(order.status_id, self.status_receipt)
        self.assertFalse(order.picking_ids)
        self.assertFalse(order.procurement_group_id)
        self.assertFalse(order.delivery_status)
        self.assertEqual(
            self._history(order),
            [
                (False, "Draft", "user", False),
                ("Draft", PAYMENT, "user", False),
                (PAYMENT, SHIP, "user", False),
                (SHIP, RECEIPT, "system", False),
            ],
        )
        self.assertFalse(
            order.activity_ids.filtered(lambda a: a.summary == "Prepare the shipment")
        )

    def test_consumable_goods_are_delivered_too(self):
        # the main addon's Office Desk: a good that is not tracked in stock
        order = self._to_shipment(self._goods_order((self.product, 2.0)))
        self.assertEqual(order.picking_ids.move_ids.product_uom_qty, 2.0)
        self._validate(order.picking_ids)
        self.assertEqual(order.status_id, self.status_receipt)


@tagged("post_install", "-at_install")
class TestDeliveryReturnsAndCancel(CrmOrderStockCommon):
    def test_return_decreases_delivered_and_posts_an_activity(self):
        order = self._to_shipment(self._goods_order((self.chair, 5.0)))
        picking = self._validate(order.picking_ids)
        self.assertEqual(order.status_id, self.status_receipt)
        returned = self._return(picking, {self.chair: 2.0})

        self.assertEqual(returned.location_dest_id, self.stock_location)
        self.assertEqual(order.line_ids.qty_delivered, 3.0)
        self.assertEqual(order.delivery_status, "partial")
        # does not move the order back
        self.assertEqual(order.status_id, self.status_receipt)
        self.assertEqual(len(order.status_history_ids), 4)
        activity = order.activity_ids.filtered(lambda a: a.summary == "Goods returned")
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.salesman)
        self.assertEqual(
            activity.activity_type_id, self.env.ref("mail.mail_activity_data_todo")
        )
        self.assertIn(returned.name, activity.note)
        self.assertIn("Office Chair (2)", activity.note)

    def test_goods_delivered_again_after_a_return(self):
        order = self._to_shipment(self._goods_order((self.chair, 3.0)))
        picking = self._validate(order.picking_ids)
        returned = self._return(picking, {self.chair: 3.0})
        self.assertEqual(order.line_ids.qty_delivered, 0.0)
        self.assertEqual(order.delivery_status, "pending")
        # the customer wants them after all: the return is returned
        self._return(returned, {self.chair: 3.0})
        self.assertEqual(order.line_ids.qty_delivered, 3.0)
        self.assertEqual(order.delivery_status, "delivered")
        self.assertEqual(order.status_id, self.status_receipt)
        self.assertEqual(len(order.status_history_ids), 4)

    def test_quantity_corrected_after_validation(self):
        order = self._to_shipment(self._goods_order((self.chair, 5.0)))
        picking = self._validate(order.picking_ids)
        self.assertEqual(order.line_ids.qty_delivered, 5.0)
        # the warehouse shipped 4 in fact: the done delivery is corrected
        picking.action_toggle_is_locked()
        picking.move_ids.quantity = 4.0
        self.assertEqual(order.line_ids.qty_delivered, 4.0)
        self.assertEqual(order.delivery_status, "partial")
        self.assertEqual(order.status_id, self.status_receipt)

    def test_cancel_cancels_open_deliveries(self):
        order = self._to_shipment(
            self._goods_order((self.chair, 4.0), (self.lamp, 1.0))
        )
        picking = order.picking_ids
        self._cancel(order)
        self.assertEqual(order.status_id, self.status_cancelled)
        self.assertEqual(picking.state, "cancel")
        self.assertEqual(
            self.chair.with_context(warehouse_id=self.warehouse.id).free_qty, 100.0
        )
        self.assertFalse(order.delivery_status)

    def test_cancel_refused_when_deliveries_are_done(self):
        order = self._to_shipment(self._goods_order((self.chair, 4.0)))
        picking = order.picking_ids
        self._validate(picking, {self.chair: 1.0})
        backorder = order.picking_ids - picking
        with self.assertRaisesRegex(
            UserError,
            f"Order {order.name} cannot be cancelled: these delivery orders are "
            f"done and their goods not returned: {picking.name}\\.",
        ):
            self._cancel(order)
        self.assertEqual(order.status_id, self.status_shipment)
        self.assertEqual(backorder.state, "assigned")
        # once the goods came back, the order is cancelled with its backorder
        self._return(picking, {self.chair: 1.0})
        self.assertEqual(order.line_ids.qty_delivered, 0.0)
        self._cancel(order)
        self.assertEqual(order.status_id, self.status_cancelled)
        self.assertEqual(backorder.state, "cancel")

    def test_reopened_order_asks_only_for_what_is_missing(self):
        order = self._to_shipment(self._goods_order((self.chair, 3.0)))
        first = order.picking_ids
        self._cancel(order)
        self._move(order, self.status_draft, user=self.manager)
        self._to_shipment(order)
        second = order.picking_ids - first
        self.assertEqual(len(second), 1)
        self.assertEqual(second.move_ids.product_uom_qty, 3.0)
        self.assertEqual(order.procurement_group_id, first.group_id)


@tagged("post_install", "-at_install")
class TestDeliveryOverXmlrpc(CrmOrderStockXmlrpcCase):
    def test_validation_over_xmlrpc_moves_the_order_once(self):
        order = self._goods_order((self.chair, 2.0))
        self.rpc(
            self.salesman,
            "crm.order",
            "action_set_status",
            [order.id],
            self.status_payment.id,
        )
        self.rpc(
            self.salesman,
            "crm.order",
            "action_set_status",
            [order.id],
            self.status_shipment.id,
        )
        self.assertEqual(
            self.rpc(
                self.salesman, "crm.order", "read", [order.id], ["delivery_status"]
            )[0]["delivery_status"],
            "pending",
        )
        picking_ids = self.rpc(
            self.stock_user,
            "stock.picking",
            "search",
            [("crm_order_id", "=", order.id)],
        )
        self.assertEqual(picking_ids, order.picking_ids.ids)
        result = self.rpc(
            self.stock_user, "stock.picking", "button_validate", picking_ids
        )
        self.assertIs(result, True)
        self.env.invalidate_all()
        self.assertEqual(order.status_id, self.status_receipt)
        self.assertEqual(
            self._history(order)[-1],
            (SHIP, RECEIPT, "system", f"stock.picking,{picking_ids[0]}"),
        )
        self.assertEqual(len(order.status_history_ids), 4)
        line = self.rpc(
            self.salesman,
            "crm.order.line",
            "read",
            order.line_ids.ids,
            ["qty_delivered"],
        )[0]
        self.assertEqual(line["qty_delivered"], 2.0)
        # validating again changes nothing
        self.rpc(self.stock_user, "stock.picking", "button_validate", picking_ids)
        self.env.invalidate_all()
        self.assertEqual(len(order.status_history_ids), 4)

    def test_cancel_over_xmlrpc_names_the_done_delivery(self):
        order = self._to_shipment(self._goods_order((self.chair, 2.0)))
        picking = order.picking_ids
        self._validate(picking, {self.chair: 1.0})
        self.assertRefused(
            "these delivery orders are done and their goods not returned: "
            f"{picking.name}",
            self.salesman,
            "crm.order",
            "action_set_status",
            [order.id],
            self.status_cancelled.id,
            self.cancel_reason.id,
        )
        self.assertEqual(order.status_id, self.status_shipment)
