# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo.tests import Form, HttpCase
from odoo.tests.common import new_test_user

from odoo.addons.crm_order_management.tests.common import (
    CrmOrderCommon,
    XmlrpcMixin,
)


class CrmOrderStockCommon(CrmOrderCommon):
    """Orders of storable goods, delivered from the company's warehouse, which
    holds 100 of each."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stock_user = new_test_user(
            cls.env,
            login="crm_order_stock_user",
            name="Ivan Inventory",
            groups="stock.group_stock_user",
        )
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.stock_location = cls.warehouse.lot_stock_id
        cls.customer_location = cls.env.ref("stock.stock_location_customers")
        cls.chair = cls.env["product.product"].create(
            {
                "name": "Office Chair",
                "type": "consu",
                "is_storable": True,
                "list_price": 20.0,
            }
        )
        cls.lamp = cls.env["product.product"].create(
            {
                "name": "Desk Lamp",
                "type": "consu",
                "is_storable": True,
                "list_price": 5.0,
            }
        )
        Quant = cls.env["stock.quant"]
        for product in (cls.chair, cls.lamp):
            Quant._update_available_quantity(product, cls.stock_location, 100.0)

    @classmethod
    def _goods_order(cls, *lines, **vals):
        """An order of ``lines``: ``(product, quantity)``, at 10.0 each."""
        return cls._create_order(
            lines=[],
            line_ids=[cls._line(qty, 10.0, 0.0, product) for product, qty in lines],
            **vals,
        )

    @classmethod
    def _to_shipment(cls, order, user=None):
        return cls._move(order, cls.status_payment, cls.status_shipment, user=user)

    def _validate(self, picking, quantities=None, backorder=True, user=None):
        """Validate ``picking`` as ``user`` (the superuser by default), with
        ``quantities`` ({product: quantity}) done, else everything; the rest goes
        to a backorder unless ``backorder`` is False."""
        picking = picking.with_user(user) if user else picking
        for move in picking.move_ids:
            quantity = (quantities or {}).get(move.product_id, move.product_uom_qty)
            move.quantity = quantity
            move.picked = True
        res = picking.button_validate()
        if isinstance(res, dict):
            wizard = Form.from_action(picking.env, res).save()
            if backorder:
                wizard.process()
            else:
                wizard.process_cancel_backorder()
        self.assertEqual(picking.state, "done")
        return picking

    def _return(self, picking, quantities):
        """Return ``quantities`` ({product: quantity}) of the done ``picking``
        and validate the return; the return picking."""
        wizard = Form(
            self.env["stock.return.picking"].with_context(
                active_id=picking.id, active_model="stock.picking"
            )
        ).save()
        for line in wizard.product_return_moves:
            line.quantity = quantities.get(line.product_id, 0.0)
        action = wizard.action_create_returns()
        return_picking = self.env["stock.picking"].browse(action["res_id"])
        return self._validate(return_picking)

    def _history(self, order):
        """The status changes of ``order``, oldest first: (from, to, change type,
        trigger)."""
        return [
            (
                row.status_from_id.name or False,
                row.status_to_id.name,
                row.change_type,
                f"{row.trigger_ref._name},{row.trigger_ref.id}"
                if row.trigger_ref
                else False,
            )
            for row in order.status_history_ids.sorted("id")
        ]


class CrmOrderStockXmlrpcCase(XmlrpcMixin, CrmOrderStockCommon, HttpCase):
    """Deliveries tried over XML-RPC as the test users."""
