# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Products invoiced on delivery: Create Invoice invoices what was delivered."""

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from odoo.addons.crm_order_management_account.tests.test_crm_order_account import (
    CrmOrderAccountCommon,
)


@tagged("post_install", "-at_install")
class TestInvoiceOnDelivery(CrmOrderAccountCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.status_receipt = cls.env.ref(
            "crm_order_management.order_status_awaiting_receipt"
        )
        warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.shelf = cls.env["product.product"].create(
            {
                "name": "Steel Shelf",
                "type": "consu",
                "is_storable": True,
                "lst_price": 50.0,
                "invoice_policy": "delivery",
                "taxes_id": [Command.set(cls.tax_15.ids)],
            }
        )
        cls.env["stock.quant"]._update_available_quantity(
            cls.shelf, warehouse.lot_stock_id, 100.0
        )

    def _validate(self, picking, quantities):
        """Validate ``picking`` with ``quantities`` ({product: quantity}) done, the
        rest to a backorder."""
        for move in picking.move_ids:
            move.quantity = quantities[move.product_id]
            move.picked = True
        res = picking.button_validate()
        if isinstance(res, dict):
            Form.from_action(picking.env, res).save().process()
        self.assertEqual(picking.state, "done")

    def test_delivered_quantities_are_invoiced(self):
        order = self._order([(self.shelf, 10, 50.0, 0.0), (self.desk, 1, 100.0, 0.0)])
        # the desk (invoiced as ordered) is invoiceable at once, the shelf not yet
        self.assertEqual(order.line_ids.mapped("qty_to_invoice"), [0.0, 1.0])
        order.with_user(self.salesman).action_set_status(self.status_shipment.id)
        picking = order.picking_ids
        self.assertEqual(
            sorted(picking.move_ids.mapped("product_uom_qty")), [1.0, 10.0]
        )
        self._validate(picking, {self.shelf: 6.0, self.desk: 1.0})
        shelf_line = order.line_ids[0]
        self.assertEqual(
            (shelf_line.qty_delivered, shelf_line.qty_to_invoice), (6.0, 6.0)
        )
        invoice = self.env["account.move"].browse(
            order.with_user(self.salesman).action_create_invoice()
        )
        self.assertEqual(
            [(line.product_id, line.quantity) for line in invoice.invoice_line_ids],
            [(self.shelf, 6.0), (self.desk, 1.0)],
        )
        # 6 x 50 + 100, plus 15 %
        self.assertEqual(invoice.amount_total, 460.0)
        with self.assertRaisesRegex(UserError, "There is nothing to invoice"):
            order.action_create_invoice()
        # the backorder: the last 4 shelves, invoiced once delivered
        self._validate(order.picking_ids - picking, {self.shelf: 4.0})
        self.assertEqual(order.status_id, self.status_receipt)
        self.assertEqual(shelf_line.qty_to_invoice, 4.0)
        second = self.env["account.move"].browse(order.action_create_invoice())
        self.assertEqual(second.invoice_line_ids.quantity, 4.0)
        self.assertEqual(order.invoice_status, "invoiced")

    def test_ordered_policy_is_the_default(self):
        self.assertEqual(self.desk.invoice_policy, "order")
        order = self._order([(self.desk, 2, 100.0, 0.0)])
        self.assertEqual(order.line_ids.qty_to_invoice, 2.0)
