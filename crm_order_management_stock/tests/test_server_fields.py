# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import xmlrpc.client

from odoo.tests import tagged
from odoo.tests.common import new_test_user
from odoo.tools import mute_logger

from .common import CrmOrderStockXmlrpcCase

MODULE = "crm_order_management_stock"


@tagged("post_install", "-at_install")
class TestEveryStoredField(CrmOrderStockXmlrpcCase):
    """Every stored field the addon adds is either configuration, writable by
    design, or refused over XML-RPC to a user who may edit both orders and
    deliveries (a salesperson with Inventory rights), with nothing changed."""

    # configuration of the statuses, by sales managers
    WRITABLE = {"crm.order.status": {"deliver_on_enter", "delivered_status_id"}}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman_stock = new_test_user(
            cls.env,
            login="crm_order_salesman_stock",
            name="Sid Salesman Stock",
            groups="sales_team.group_sale_salesman,stock.group_stock_user",
        )
        cls.order = cls._to_shipment(
            cls._goods_order((cls.chair, 2.0), user=cls.salesman_stock),
            user=cls.salesman_stock,
        )
        cls.other_order = cls._to_shipment(
            cls._goods_order((cls.lamp, 1.0), user=cls.salesman_stock),
            user=cls.salesman_stock,
        )
        picking = cls.order.picking_ids
        cls.records = {
            "crm.order": cls.order,
            "crm.order.line": cls.order.line_ids,
            "crm.order.status": cls.status_shipment,
            "stock.picking": picking,
            "stock.move": picking.move_ids,
            "procurement.group": cls.order.procurement_group_id,
        }
        cls.other_values = {
            "crm.order": {
                "procurement_group_id": cls.other_order.procurement_group_id.id,
                "delivery_status": "delivered",
            },
            "crm.order.line": {"qty_delivered": 2.0},
            "stock.picking": {"crm_order_id": cls.other_order.id},
            "stock.move": {"crm_order_line_id": cls.other_order.line_ids.id},
            "procurement.group": {"crm_order_id": cls.other_order.id},
        }

    def _addon_fields(self):
        result = set()
        for model_name in self.env.registry:
            model = self.env[model_name]
            if model._transient or model._abstract:
                continue
            for name, field in model._fields.items():
                if field.store and field.column_type and field._module == MODULE:
                    result.add((model_name, name))
        return result

    def test_every_stored_field_is_writable_by_design_or_refused(self):
        fields = self._addon_fields()
        self.assertEqual(
            fields,
            {
                ("crm.order", "procurement_group_id"),
                ("crm.order", "delivery_status"),
                ("crm.order.line", "qty_delivered"),
                ("crm.order.status", "deliver_on_enter"),
                ("crm.order.status", "delivered_status_id"),
                ("stock.picking", "crm_order_id"),
                ("stock.move", "crm_order_line_id"),
                ("procurement.group", "crm_order_id"),
            },
        )
        checked = []
        for model, name in sorted(fields):
            if name in self.WRITABLE.get(model, ()):
                continue
            record = self.records[model]
            before = record[name]
            value = self.other_values[model][name]
            with self.subTest(field=f"{model}.{name}"):
                with (
                    mute_logger("odoo.http"),
                    self.assertRaises(xmlrpc.client.Fault) as caught,
                ):
                    self.rpc(
                        self.salesman_stock, model, "write", record.ids, {name: value}
                    )
                self.assertIn("set by the server", caught.exception.faultString)
                self.env.invalidate_all()
                self.assertEqual(record[name], before)
            checked.append(f"{model}.{name}")
        self.assertEqual(len(checked), 6)
        self.assertEqual(self.order.delivery_status, "pending")
        self.assertEqual(self.order.picking_ids, self.records["stock.picking"])

    def test_status_configuration_is_for_sales_managers(self):
        self.rpc(
            self.manager,
            "crm.order.status",
            "write",
            self.status_payment.ids,
            {"deliver_on_enter": True, "delivered_status_id": self.status_receipt.id},
        )
        self.assertTrue(self.status_payment.deliver_on_enter)
        self.assertEqual(self.status_payment.delivered_status_id, self.status_receipt)
        self.assertRefused(
            "not allowed",
            self.salesman_stock,
            "crm.order.status",
            "write",
            self.status_payment.ids,
            {"deliver_on_enter": False},
        )
        self.assertTrue(self.status_payment.deliver_on_enter)

    def test_the_one2many_links_are_refused_too(self):
        move = self.other_order.picking_ids.move_ids
        self.assertRefused(
            "set by the server",
            self.salesman_stock,
            "crm.order.line",
            "write",
            self.order.line_ids.ids,
            {"move_ids": [(4, move.id)]},
        )
        self.assertRefused(
            "set by the server",
            self.salesman_stock,
            "crm.order",
            "write",
            self.order.ids,
            {"picking_ids": [(4, self.other_order.picking_ids.id)]},
        )
        self.assertEqual(move.crm_order_line_id, self.other_order.line_ids)
        self.assertEqual(self.order.picking_ids, self.records["stock.picking"])

    def test_a_client_creates_no_order_link(self):
        self.assertRefused(
            "set by the server",
            self.salesman_stock,
            "procurement.group",
            "create",
            {"name": "Forged", "crm_order_id": self.order.id},
        )
        self.assertRefused(
            "set by the server",
            self.salesman_stock,
            "crm.order",
            "create",
            {
                "partner_id": self.customer.id,
                "procurement_group_id": self.order.procurement_group_id.id,
            },
        )
