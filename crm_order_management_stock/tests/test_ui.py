# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, tagged
from odoo.tests.common import new_test_user

from odoo.addons.crm_order_management.tests.common import warm_up_static_paths

from .common import CrmOrderStockCommon


@tagged("post_install", "-at_install")
class TestUiDelivery(CrmOrderStockCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        warm_up_static_paths()

    def test_validating_the_delivery_in_the_web_client_moves_the_order(self):
        user = new_test_user(
            self.env,
            login="crm_order_stock_tour_user",
            name="Tara Tour Stock",
            groups="sales_team.group_sale_salesman,stock.group_stock_user",
        )
        order = self._to_shipment(
            self._goods_order((self.chair, 3.0), user=user), user=user
        )
        picking = order.picking_ids
        self.assertEqual(picking.state, "assigned")
        self.start_tour(
            f"/odoo/action-crm_order_management.crm_order_action/{order.id}",
            "crm_order_stock_delivery_tour",
            login=user.login,
        )
        self.assertEqual(picking.state, "done")
        self.assertEqual(order.status_id, self.status_receipt)
        self.assertEqual(
            self._history(order)[-1],
            (
                "Awaiting Shipment",
                "Awaiting Receipt",
                "system",
                f"stock.picking,{picking.id}",
            ),
        )
        self.assertEqual(order.status_history_ids.sorted("id")[-1].user_id, user)
