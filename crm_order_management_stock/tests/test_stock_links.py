# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The links of Inventory to the orders are the server's: a move delivers an
order line only within the order's procurement group and company, clients do
not set them, and Inventory's own copies of moves (backorders, returns) keep
them."""

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from odoo.addons.crm_order_management.tools import with_server_values

from .common import CrmOrderStockCommon, CrmOrderStockXmlrpcCase


@tagged("post_install", "-at_install")
class TestStockLinksOverXmlrpc(CrmOrderStockXmlrpcCase):
    """Tried over XML-RPC by an Inventory user (no sales rights)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls._to_shipment(cls._goods_order((cls.chair, 2.0)))
        cls.other_order = cls._to_shipment(cls._goods_order((cls.lamp, 1.0)))
        cls.picking = cls.order.picking_ids
        cls.move = cls.picking.move_ids

    def _move_values(self, **vals):
        return {
            "name": "Forged",
            "product_id": self.chair.id,
            "product_uom_qty": 5.0,
            "product_uom": self.chair.uom_id.id,
            "location_id": self.stock_location.id,
            "location_dest_id": self.customer_location.id,
            **vals,
        }

    def assertUnchanged(self):
        self.assertEqual(self.order.line_ids.move_ids, self.move)
        self.assertEqual(self.move.product_uom_qty, 2.0)
        self.assertEqual(self.move.group_id, self.order.procurement_group_id)
        self.assertEqual(self.order.picking_ids, self.picking)
        self.assertEqual(self.picking.group_id, self.order.procurement_group_id)
        self.assertEqual(self.other_order.picking_ids.move_ids.product_id, self.lamp)
        self.assertFalse(self.env["stock.move"].search([("name", "=", "Forged")]))

    def test_a_client_creates_no_move_of_an_order_line(self):
        self.assertFalse(self.stock_user.has_group("sales_team.group_sale_salesman"))
        self.assertRefused(
            "These fields of Stock Move are set by the server and cannot be "
            "written: Customer Order Line (crm_order_line_id).",
            self.stock_user,
            "stock.move",
            "create",
            self._move_values(
                group_id=self.order.procurement_group_id.id,
                crm_order_line_id=self.order.line_ids.id,
            ),
        )
        # nor through the delivery order, nor for another order's line
        self.assertRefused(
            "Customer Order Line (crm_order_line_id)",
            self.stock_user,
            "stock.picking",
            "write",
            self.picking.ids,
            {
                "move_ids": [
                    (
                        0,
                        0,
                        self._move_values(
                            crm_order_line_id=self.other_order.line_ids.id
                        ),
                    )
                ]
            },
        )
        self.assertUnchanged()

    def test_a_delivery_order_is_not_moved_to_another_order(self):
        self.assertRefused(
            f"Stock move {self.picking.name} cannot deliver a line of order "
            f"{self.order.name}: the moves of an order's lines belong to its "
            f"procurement group ({self.order.name}) and company "
            f"({self.company.name}).",
            self.stock_user,
            "stock.picking",
            "write",
            self.picking.ids,
            {"group_id": self.other_order.procurement_group_id.id},
        )
        self.assertRefused(
            f"cannot deliver a line of order {self.order.name}",
            self.stock_user,
            "stock.move",
            "write",
            self.move.ids,
            {"group_id": False},
        )
        self.assertRefused(
            f"cannot deliver a line of order {self.order.name}",
            self.stock_user,
            "stock.move",
            "copy",
            self.move.ids,
            {"group_id": self.other_order.procurement_group_id.id},
        )
        self.assertUnchanged()
        self.assertEqual(self.picking.crm_order_id, self.order)
        self.assertEqual(self.other_order.delivery_count, 1)

    def test_backorder_and_return_keep_the_line(self):
        """Inventory copies the moves of the line: the backorder of a partial
        delivery and the return of a delivered one stay the line's."""
        line = self.order.line_ids
        self.rpc(
            self.stock_user,
            "stock.move",
            "write",
            self.move.ids,
            {"quantity": 1.0, "picked": True},
        )
        action = self.rpc(
            self.stock_user, "stock.picking", "button_validate", self.picking.ids
        )
        self.assertEqual(action["res_model"], "stock.backorder.confirmation")
        context = action["context"]
        wizard_id = self.rpc(
            self.stock_user,
            "stock.backorder.confirmation",
            "create",
            {
                "pick_ids": [(4, self.picking.id)],
                "backorder_confirmation_line_ids": [
                    (0, 0, {"picking_id": self.picking.id, "to_backorder": True})
                ],
            },
            context=context,
        )
        self.rpc(
            self.stock_user,
            "stock.backorder.confirmation",
            "process",
            [wizard_id],
            context=context,
        )
        self.env.invalidate_all()
        backorder = self.order.picking_ids - self.picking
        self.assertEqual(self.picking.state, "done")
        self.assertEqual(backorder.backorder_id, self.picking)
        self.assertEqual(backorder.move_ids.crm_order_line_id, line)
        self.assertEqual(backorder.move_ids.product_uom_qty, 1.0)
        self.assertEqual(line.qty_delivered, 1.0)

        wizard_id = self.rpc(
            self.stock_user,
            "stock.return.picking",
            "create",
            {"picking_id": self.picking.id},
        )
        return_line_ids = self.rpc(
            self.stock_user,
            "stock.return.picking",
            "read",
            [wizard_id],
            ["product_return_moves"],
        )[0]["product_return_moves"]
        self.rpc(
            self.stock_user,
            "stock.return.picking.line",
            "write",
            return_line_ids,
            {"quantity": 1.0},
        )
        action = self.rpc(
            self.stock_user,
            "stock.return.picking",
            "action_create_returns",
            [wizard_id],
        )
        returned = self.env["stock.picking"].browse(action["res_id"])
        self.rpc(
            self.stock_user,
            "stock.move",
            "write",
            returned.move_ids.ids,
            {"quantity": 1.0, "picked": True},
        )
        self.assertIs(
            self.rpc(self.stock_user, "stock.picking", "button_validate", returned.ids),
            True,
        )
        self.env.invalidate_all()
        self.assertEqual(returned.state, "done")
        self.assertEqual(returned.crm_order_id, self.order)
        self.assertEqual(returned.move_ids.crm_order_line_id, line)
        self.assertEqual(returned.move_ids.origin_returned_move_id, self.move)
        self.assertEqual(line.qty_delivered, 0.0)
        self.assertEqual(
            line.move_ids, self.move | backorder.move_ids | returned.move_ids
        )


@tagged("post_install", "-at_install")
class TestStockLinkConstraint(CrmOrderStockCommon):
    def test_a_move_delivers_a_line_of_its_own_company_only(self):
        order = self._to_shipment(self._goods_order((self.chair, 2.0)))
        other_company = self.env["res.company"].create({"name": "Far Away Ltd"})
        other_stock = (
            self.env["stock.warehouse"]
            .search([("company_id", "=", other_company.id)])
            .lot_stock_id
        )
        Move = with_server_values(self.env["stock.move"])
        with self.assertRaises(ValidationError) as caught:
            Move.create(
                {
                    "name": "Far",
                    "product_id": self.chair.id,
                    "product_uom_qty": 1.0,
                    "location_id": other_stock.id,
                    "location_dest_id": self.customer_location.id,
                    "company_id": other_company.id,
                    "group_id": order.procurement_group_id.id,
                    "crm_order_line_id": order.line_ids.id,
                }
            )
        self.assertEqual(
            str(caught.exception),
            f"Stock move Far cannot deliver a line of order {order.name}: the moves "
            f"of an order's lines belong to its procurement group ({order.name}) and "
            f"company ({self.company.name}).",
        )
        self.assertEqual(order.line_ids.move_ids, order.picking_ids.move_ids)
