# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CrmOrderCommon, PoFileMixin

MODULE = "crm_order_management"
LANG = "zh_CN"


@tagged("post_install", "-at_install")
class TestI18nZhCn(PoFileMixin, CrmOrderCommon):
    """The Simplified Chinese translation: installed, then read back from fields,
    selections, data records, menus, views and Python messages."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang(LANG)
        cls.env["ir.module.module"]._load_module_terms([MODULE], [LANG], overwrite=True)
        cls.env.registry.clear_cache()
        cls.env.invalidate_all()
        cls.env_zh = cls.env(context=dict(cls.env.context, lang=LANG))

    def test_field_strings_and_help(self):
        Order = self.env_zh["crm.order"]
        self.assertEqual(
            Order._fields["partner_id"]._description_string(self.env_zh), "客户"
        )
        self.assertEqual(
            Order._fields["name"]._description_string(self.env_zh), "订单编号"
        )
        fields = Order.fields_get(
            ["status_id", "order_type_id", "rating"], ["string", "help"]
        )
        self.assertEqual(fields["status_id"]["string"], "状态")
        self.assertEqual(fields["order_type_id"]["string"], "类型")
        self.assertEqual(fields["rating"]["string"], "客户评分")
        self.assertTrue(
            fields["order_type_id"]["help"].startswith("留空时根据客户自动选择")
        )
        self.assertEqual(
            self.env_zh["res.partner"].fields_get(["crm_loyalty"], ["string"])[
                "crm_loyalty"
            ]["string"],
            "客户忠诚度",
        )

    def test_selection_labels(self):
        category = self.env_zh["crm.order.status"].fields_get(
            ["category"], ["selection"]
        )
        self.assertEqual(
            dict(category["category"]["selection"]),
            {"draft": "草稿", "open": "进行中", "done": "已完成", "cancel": "已取消"},
        )
        kind = self.env_zh["crm.order.tracking"].fields_get(["kind"], ["selection"])
        self.assertEqual(dict(kind["kind"]["selection"])["delivery_check"], "交付核查")
        service_kind = self.env_zh["product.template"]._fields["service_kind"]
        self.assertEqual(
            dict(service_kind._description_selection(self.env_zh))["after_sales"],
            "售后服务",
        )

    def test_data_records(self):
        statuses = (
            self.status_draft
            | self.status_payment
            | self.status_shipment
            | self.status_receipt
            | self.status_completed
            | self.status_cancelled
        )
        self.assertEqual(
            statuses.with_env(self.env_zh).mapped("name"),
            ["草稿", "待付款", "待发货", "待收货", "已完成", "已取消"],
        )
        types = (
            self.type_new
            | self.type_returning
            | self.type_recurring
            | self.type_competitor
        )
        self.assertEqual(
            types.with_env(self.env_zh).mapped("name"),
            ["新客订单", "老客订单", "定期订单", "竞品订单"],
        )
        self.assertEqual(
            self.status_payment.with_env(self.env_zh).description,
            "已确认，等待客户付款。",
        )
        # The source language is untouched
        self.assertEqual(
            self.status_payment.with_context(lang="en_US").name, "Awaiting Payment"
        )
        self.assertEqual(self.type_new.with_context(lang="en_US").name, "New Customer")

    def test_menus_and_actions(self):
        ref = self.env_zh.ref
        self.assertEqual(ref(f"{MODULE}.crm_order_menu_root").name, "订单")
        self.assertEqual(ref(f"{MODULE}.crm_order_menu_analysis").name, "订单分析")
        self.assertEqual(ref(f"{MODULE}.crm_order_menu_config").name, "配置")
        self.assertEqual(ref(f"{MODULE}.crm_order_tracking_action").name, "跟踪事件")

    def test_view_terms(self):
        views = self.env_zh["crm.order"].get_views(
            [(False, "form"), (False, "search")]
        )["views"]
        form = views["form"]["arch"]
        self.assertIn("<span>移至</span>", form)
        self.assertIn('string="取消订单"', form)
        self.assertIn('string="取消信息"', form)
        self.assertNotIn("<span>Move to</span>", form)
        self.assertIn('string="搜索订单"', views["search"]["arch"])
        wizard = self.env_zh["crm.order.cancel"].get_views([(False, "form")])
        self.assertIn('string="确认取消"', wizard["views"]["form"]["arch"])

    def test_python_message(self):
        order = self._create_order()
        with self.assertRaises(UserError) as error:
            order.with_user(self.salesman).with_context(lang=LANG).action_set_status(
                self.status_completed.id
            )
        self.assertEqual(
            str(error.exception),
            f"订单 {order.name} 不能从“草稿”变更为“已完成”。"
            "允许的下一状态：待付款, 已取消。",
        )
        with self.assertRaises(UserError) as error:
            order.with_context(lang=LANG).rating = 4
        self.assertEqual(
            str(error.exception), f"只有已完成的订单才能评分（{order.name}）。"
        )

    def test_po_file_complete(self):
        self.assertPoFileComplete(MODULE)
