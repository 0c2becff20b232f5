# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What a salesperson may change on the lines of an order that Inventory
delivers, and how its deliveries follow: as on a confirmed sales order (sale,
sale_stock), the product of a moved line is kept, a delivered or delivering line
is not deleted, the quantity does not go below what was delivered, and a lower
quantity lowers the open delivery."""

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import html2plaintext

from .common import CrmOrderStockCommon, CrmOrderStockXmlrpcCase

SHIP = "Awaiting Shipment"
RECEIPT = "Awaiting Receipt"
PAYMENT = "Awaiting Payment"


@tagged("post_install", "-at_install")
class TestLineGuardsOverXmlrpc(CrmOrderStockXmlrpcCase):
    """The holes around "cancel refused when deliveries are done", tried over
    XML-RPC by the order's salesperson (no Inventory rights): each is refused with
    its reason and changes nothing."""

    def _partly_delivered(self):
        """An order of 2 chairs and 1 lamp in Awaiting Shipment: 1 chair and the
        lamp delivered (the first delivery order), 1 chair in a backorder."""
        order = self._to_shipment(
            self._goods_order((self.chair, 2.0), (self.lamp, 1.0))
        )
        picking = self._validate(order.picking_ids, {self.chair: 1.0, self.lamp: 1.0})
        backorder = order.picking_ids - picking
        chair_line, lamp_line = order.line_ids.sorted("id")
        self.assertEqual(chair_line.qty_delivered, 1.0)
        self.assertEqual(lamp_line.qty_delivered, 1.0)
        self.assertEqual(backorder.move_ids.product_uom_qty, 1.0)
        self.assertEqual(order.status_id, self.status_shipment)
        return order, picking, backorder

    def assertCancelRefused(self, order, picking):
        self.assertRefused(
            f"Order {order.name} cannot be cancelled: these delivery orders are done "
            f"and their goods not returned: {picking.name}. Return the goods first",
            self.salesman,
            "crm.order",
            "action_set_status",
            order.ids,
            self.status_cancelled.id,
            self.cancel_reason.id,
        )
        self.assertEqual(order.status_id, self.status_shipment)

    def test_product_of_a_moved_line_is_kept(self):
        self.assertFalse(self.salesman.has_group("stock.group_stock_user"))
        order, picking, backorder = self._partly_delivered()
        chair_line, lamp_line = order.line_ids.sorted("id")
        # the delivered chair would read 0 delivered as a lamp: the cancel's hole
        self.assertRefused(
            f"The product of line Office Chair of order {order.name} cannot be "
            f"changed: Inventory moved it ({picking.name}, {backorder.name}). Add a "
            "line for the other product instead.",
            self.salesman,
            "crm.order.line",
            "write",
            chair_line.ids,
            {"product_id": self.lamp.id},
        )
        # the same through the order's form (its lines' commands)
        self.assertRefused(
            f"The product of line Desk Lamp of order {order.name} cannot be changed",
            self.salesman,
            "crm.order",
            "write",
            order.ids,
            {"line_ids": [(1, lamp_line.id, {"product_id": self.chair.id})]},
        )
        self.assertEqual(chair_line.product_id, self.chair)
        self.assertEqual(lamp_line.product_id, self.lamp)
        self.assertEqual(order.line_ids.mapped("qty_delivered"), [1.0, 1.0])
        self.assertEqual(backorder.move_ids.product_id, self.chair)
        self.assertEqual(backorder.move_ids.product_uom_qty, 1.0)
        self.assertEqual(order.delivery_status, "partial")
        self.assertCancelRefused(order, picking)

    def test_product_of_a_line_in_delivery_is_kept_too(self):
        order = self._to_shipment(self._goods_order((self.chair, 2.0)))
        picking = order.picking_ids
        self.assertRefused(
            f"The product of line Office Chair of order {order.name} cannot be "
            f"changed: Inventory moved it ({picking.name}).",
            self.salesman,
            "crm.order.line",
            "write",
            order.line_ids.ids,
            {"product_id": self.lamp.id},
        )
        self.assertEqual(order.line_ids.product_id, self.chair)
        self.assertEqual(picking.move_ids.product_id, self.chair)
        self.assertEqual(picking.move_ids.product_uom_qty, 2.0)
        # a line not moved yet (its order not delivering) may change its product
        other = self._goods_order((self.chair, 1.0))
        self.rpc(
            self.salesman,
            "crm.order.line",
            "write",
            other.line_ids.ids,
            {"product_id": self.lamp.id},
        )
        self.assertEqual(other.line_ids.product_id, self.lamp)

    def test_delivered_line_is_not_deleted(self):
        order, picking, backorder = self._partly_delivered()
        chair_line, lamp_line = order.line_ids.sorted("id")
        self.assertRefused(
            f"Line Desk Lamp of order {order.name} cannot be deleted: 1 were "
            f"delivered ({picking.name}). Return the goods first (Return button of "
            "the delivery order).",
            self.salesman,
            "crm.order.line",
            "unlink",
            lamp_line.ids,
        )
        self.assertRefused(
            f"Line Office Chair of order {order.name} cannot be deleted: 1 were "
            f"delivered ({picking.name}).",
            self.salesman,
            "crm.order",
            "write",
            order.ids,
            {"line_ids": [(2, chair_line.id, 0)]},
        )
        self.assertEqual(order.line_ids, chair_line | lamp_line)
        self.assertEqual(backorder.move_ids.crm_order_line_id, chair_line)
        self.assertEqual(backorder.state, "assigned")
        self.assertCancelRefused(order, picking)

    def test_line_in_delivery_is_not_deleted(self):
        order = self._to_shipment(
            self._goods_order((self.chair, 2.0), (self.lamp, 1.0))
        )
        picking = order.picking_ids
        lamp_line = order.line_ids.sorted("id")[1]
        self.assertRefused(
            f"Line Desk Lamp of order {order.name} cannot be deleted: delivery "
            f"orders {picking.name} still have to deliver its goods. Have its moves "
            "cancelled in Inventory first.",
            self.salesman,
            "crm.order.line",
            "unlink",
            lamp_line.ids,
        )
        self.assertEqual(len(order.line_ids), 2)
        lamp_move = picking.move_ids.filtered(lambda m: m.product_id == self.lamp)
        self.assertEqual(lamp_move.state, "assigned")
        # once Inventory cancelled its move, the line goes
        lamp_move._action_cancel()
        self.rpc(self.salesman, "crm.order.line", "unlink", lamp_line.ids)
        self.assertFalse(lamp_line.exists())
        self.assertEqual(order.line_ids.product_id, self.chair)
        self.assertEqual(order.status_id, self.status_shipment)

    def test_quantity_not_below_delivered(self):
        order = self._to_shipment(self._goods_order((self.chair, 5.0)))
        picking = self._validate(order.picking_ids, {self.chair: 3.0})
        backorder = order.picking_ids - picking
        line = order.line_ids
        self.assertRefused(
            f"The quantity of line Office Chair of order {order.name} cannot be "
            "lowered below its delivered quantity (3): create a return of the "
            "delivery order first.",
            self.salesman,
            "crm.order.line",
            "write",
            line.ids,
            {"quantity": 2.0},
        )
        self.assertEqual(line.quantity, 5.0)
        self.assertEqual(line.qty_delivered, 3.0)
        self.assertEqual(backorder.move_ids.product_uom_qty, 2.0)
        self.assertEqual(backorder.state, "assigned")
        # after a return of 2, it may go down to the 1 left with the customer
        self._return(picking, {self.chair: 2.0})
        self.assertEqual(line.qty_delivered, 1.0)
        self.rpc(self.salesman, "crm.order.line", "write", line.ids, {"quantity": 2.0})
        self.assertEqual(line.quantity, 2.0)
        # the backorder ships what is missing: 2 ordered, 1 with the customer
        self.assertEqual(backorder.move_ids.product_uom_qty, 1.0)

    def test_lowering_the_quantity_lowers_the_open_delivery(self):
        order = self._to_shipment(self._goods_order((self.chair, 5.0)))
        picking = order.picking_ids
        self.assertEqual(
            self.chair.with_context(warehouse_id=self.warehouse.id).free_qty, 95.0
        )
        self.rpc(
            self.salesman,
            "crm.order.line",
            "write",
            order.line_ids.ids,
            {"quantity": 3.0},
        )
        self.env.invalidate_all()
        self.assertEqual(order.line_ids.quantity, 3.0)
        self.assertEqual(order.picking_ids, picking)
        self.assertEqual(picking.move_ids.product_uom_qty, 3.0)
        self.assertEqual(picking.move_ids.quantity, 3.0)
        self.assertEqual(picking.state, "assigned")
        self.assertEqual(
            self.chair.with_context(warehouse_id=self.warehouse.id).free_qty, 97.0
        )
        self.assertEqual(order.delivery_status, "pending")
        self._validate(picking)
        self.assertEqual(order.line_ids.qty_delivered, 3.0)
        self.assertEqual(order.status_id, self.status_receipt)


@tagged("post_install", "-at_install")
class TestLoweredQuantity(CrmOrderStockCommon):
    """A lower quantity on a line whose delivery is under way: as sale_stock, the
    procurement runs with the negative difference, which stock takes from the
    open move."""

    def test_lowered_in_the_backorder_then_to_what_was_delivered(self):
        order = self._to_shipment(self._goods_order((self.chair, 10.0)))
        picking = self._validate(order.picking_ids, {self.chair: 6.0})
        backorder = order.picking_ids - picking
        line = order.line_ids
        self.assertEqual(backorder.move_ids.product_uom_qty, 4.0)
        # through the order's form, as the salesperson
        order.with_user(self.salesman).write(
            {"line_ids": [Command.update(line.id, {"quantity": 8.0})]}
        )
        self.assertEqual(backorder.move_ids.product_uom_qty, 2.0)
        self.assertEqual(backorder.move_ids.quantity, 2.0)
        self.assertEqual(backorder.state, "assigned")
        self.assertEqual(order.delivery_status, "partial")
        self.assertEqual(order.status_id, self.status_shipment)
        self.assertEqual(
            self.chair.with_context(warehouse_id=self.warehouse.id).free_qty, 92.0
        )
        # down to the 6 delivered: nothing left to ship, the order moves on as on
        # a validated delivery (the one that brought the goods)
        order.with_user(self.salesman).write(
            {"line_ids": [Command.update(line.id, {"quantity": 6.0})]}
        )
        self.assertEqual(backorder.move_ids.state, "cancel")
        self.assertEqual(backorder.state, "cancel")
        self.assertEqual(line.qty_delivered, 6.0)
        self.assertEqual(order.delivery_status, "delivered")
        self.assertEqual(order.status_id, self.status_receipt)
        self.assertEqual(
            self._history(order),
            [
                (False, "Draft", "user", False),
                ("Draft", PAYMENT, "user", False),
                (PAYMENT, SHIP, "user", False),
                (SHIP, RECEIPT, "system", f"stock.picking,{picking.id}"),
            ],
        )
        self.assertEqual(
            order.status_history_ids.sorted("id")[-1].user_id, self.salesman
        )
        self.assertEqual(
            self.chair.with_context(warehouse_id=self.warehouse.id).free_qty, 94.0
        )

    def test_lowered_then_raised_again_stays_one_move(self):
        order = self._to_shipment(self._goods_order((self.chair, 5.0)))
        picking = order.picking_ids
        line = order.line_ids.with_user(self.salesman)
        line.quantity = 2.0
        line.quantity = 4.0
        self.assertEqual(len(order.picking_ids), 1)
        self.assertEqual(
            [(m.product_uom_qty, m.state) for m in picking.move_ids.sorted("id")],
            [(4.0, "assigned")],
        )
        self.assertFalse(
            order.picking_ids.filtered(lambda p: p.picking_type_code == "incoming")
        )

    def test_lowered_in_another_status_while_the_backorder_is_open(self):
        order = self._to_shipment(self._goods_order((self.chair, 10.0)))
        picking = self._validate(order.picking_ids, {self.chair: 6.0})
        backorder = order.picking_ids - picking
        # moved on by hand while 4 chairs are still on their way
        self._move(order, self.status_receipt)
        order.line_ids.with_user(self.salesman).quantity = 7.0
        self.assertEqual(backorder.move_ids.product_uom_qty, 1.0)
        self.assertEqual(backorder.state, "assigned")
        self.assertEqual(order.status_id, self.status_receipt)
        # outside a delivering status, nothing more is asked from Inventory
        order.line_ids.with_user(self.salesman).quantity = 9.0
        self.assertEqual(order.picking_ids, picking | backorder)
        self.assertEqual(backorder.move_ids.product_uom_qty, 1.0)

    def test_lowering_without_backorder_to_what_was_delivered_moves_on(self):
        order = self._to_shipment(self._goods_order((self.chair, 5.0)))
        picking = self._validate(order.picking_ids, {self.chair: 3.0}, backorder=False)
        self.assertEqual(order.status_id, self.status_shipment)
        order.line_ids.with_user(self.salesman).quantity = 3.0
        self.assertEqual(order.status_id, self.status_receipt)
        self.assertEqual(
            self._history(order)[-1],
            (SHIP, RECEIPT, "system", f"stock.picking,{picking.id}"),
        )
        self.assertEqual(order.picking_ids, picking)

    def test_printed_delivery_is_not_lowered_into_a_return(self):
        order = self._to_shipment(self._goods_order((self.chair, 5.0)))
        printed = order.picking_ids
        printed.printed = True
        line = order.line_ids.with_user(self.salesman)
        # stock adds nothing to a printed delivery order: 2 more, another one
        line.quantity = 7.0
        added = order.picking_ids - printed
        self.assertEqual(added.move_ids.product_uom_qty, 2.0)
        # lowered: the decrease comes from the delivery order it can join
        line.quantity = 6.0
        self.assertEqual(added.move_ids.product_uom_qty, 1.0)
        line.quantity = 4.0
        self.assertEqual(added.state, "cancel")
        # the printed one still ships 5 (left to the warehouse), and no return of
        # goods never delivered is made
        self.assertEqual(printed.move_ids.product_uom_qty, 5.0)
        self.assertEqual(printed.state, "assigned")
        self.assertEqual(order.picking_ids, printed | added)
        # its responsible is warned, once the line asks for less than it ships (at
        # 6 it shipped 5 and the other 1: no warning then)
        warning = self.env.ref("mail.mail_activity_data_warning")
        (activity,) = printed.activity_ids
        self.assertEqual(
            (activity.activity_type_id, html2plaintext(activity.note)),
            (
                warning,
                f"Order {order.name} now asks for 4 of {self.chair.display_name}, "
                "delivered and to deliver: 5. Lower this delivery order by hand.",
            ),
        )
        self.assertFalse(added.activity_ids)
        self.assertEqual(
            self.chair.with_context(warehouse_id=self.warehouse.id).free_qty, 95.0
        )

    def test_cancel_counts_the_goods_of_the_deliveries(self):
        """The done delivery orders decide, not the lines only: goods Inventory
        added to the delivery (no order line) are with the customer too."""
        order = self._to_shipment(self._goods_order((self.chair, 2.0)))
        picking = order.picking_ids
        picking.write(
            {
                "move_ids": [
                    Command.create(
                        {
                            "name": "Desk Lamp",
                            "product_id": self.lamp.id,
                            "product_uom_qty": 1.0,
                            "location_id": self.stock_location.id,
                            "location_dest_id": self.customer_location.id,
                        }
                    )
                ]
            }
        )
        self._validate(picking)
        self.assertEqual(order.status_id, self.status_receipt)
        self._return(picking, {self.chair: 2.0})
        self.assertEqual(order.line_ids.qty_delivered, 0.0)
        with self.assertRaisesRegex(
            UserError,
            f"Order {order.name} cannot be cancelled: these delivery orders are "
            f"done and their goods not returned: {picking.name}\\.",
        ):
            self._cancel(order)
        self.assertEqual(order.status_id, self.status_receipt)
        self._return(picking, {self.lamp: 1.0})
        self._cancel(order)
        self.assertEqual(order.status_id, self.status_cancelled)
