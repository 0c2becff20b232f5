# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.crm_order_management.tests.common import PoFileMixin

from .common import CrmOrderStockCommon

MODULE = "crm_order_management_stock"
LANG = "zh_CN"


@tagged("post_install", "-at_install")
class TestI18nZhCn(PoFileMixin, CrmOrderStockCommon):
    """The Simplified Chinese translation of the addon: complete, and read back
    from fields, views and messages."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang(LANG)
        cls.env["ir.module.module"]._load_module_terms(
            ["crm_order_management", MODULE], [LANG], overwrite=True
        )
        cls.env.registry.clear_cache()
        cls.env.invalidate_all()
        cls.env_zh = cls.env(context=dict(cls.env.context, lang=LANG))

    def test_fields_and_selection(self):
        fields = self.env_zh["crm.order"].fields_get(
            ["delivery_status"], ["string", "selection"]
        )
        self.assertEqual(fields["delivery_status"]["string"], "交付状态")
        self.assertEqual(
            dict(fields["delivery_status"]["selection"]),
            {"pending": "未交付", "partial": "部分交付", "delivered": "已交付"},
        )
        status_fields = self.env_zh["crm.order.status"].fields_get(
            ["deliver_on_enter", "delivered_status_id"], ["string"]
        )
        self.assertEqual(status_fields["deliver_on_enter"]["string"], "进入时发货")
        self.assertEqual(status_fields["delivered_status_id"]["string"], "交付后转到")

    def test_view_terms(self):
        form = self.env_zh["crm.order.status"].get_views([(False, "form")])["views"][
            "form"
        ]["arch"]
        self.assertIn('string="交付"', form)

    def test_python_message(self):
        order = self._to_shipment(self._goods_order((self.chair, 2.0)))
        picking = order.picking_ids
        self._validate(picking, {self.chair: 1.0})
        with self.assertRaises(UserError) as error:
            order.with_user(self.salesman).with_context(lang=LANG).action_set_status(
                self.status_cancelled.id, cancel_reason_id=self.cancel_reason.id
            )
        self.assertEqual(
            str(error.exception),
            f"订单 {order.name} 无法取消：以下交货单已完成且货物未退回："
            f"{picking.name}。请先退回货物（交货单上的“退回”按钮）。",
        )

    def test_line_guard_message(self):
        order = self._to_shipment(self._goods_order((self.chair, 5.0)))
        self._validate(order.picking_ids, {self.chair: 3.0})
        line = order.line_ids.with_user(self.salesman).with_context(lang=LANG)
        with self.assertRaises(UserError) as error:
            line.quantity = 2.0
        self.assertEqual(
            str(error.exception),
            f"订单 {order.name} 的明细 Office Chair 的数量不能低于其已交付数量"
            "（3）：请先为交货单创建退货。",
        )

    def test_po_file_complete(self):
        self.assertPoFileComplete(MODULE)
