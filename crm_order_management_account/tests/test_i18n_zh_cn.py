# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import TransactionCase, tagged

from odoo.addons.crm_order_management.tests.common import PoFileMixin

MODULE = "crm_order_management_account"
LANG = "zh_CN"


@tagged("post_install", "-at_install")
class TestI18nZhCn(PoFileMixin, TransactionCase):
    """The Simplified Chinese translation of the glue addon: complete, and read back
    from its fields and messages."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang(LANG)
        cls.env["ir.module.module"]._load_module_terms([MODULE], [LANG], overwrite=True)
        cls.env.registry.clear_cache()
        cls.env.invalidate_all()
        cls.env_zh = cls.env(context=dict(cls.env.context, lang=LANG))

    def test_every_entry_is_translated(self):
        self.assertPoFileComplete(MODULE)

    def test_fields_and_selections(self):
        fields = self.env_zh["crm.order"].fields_get(
            ["payment_state", "invoice_status"], ["string", "selection"]
        )
        self.assertEqual(fields["payment_state"]["string"], "付款状态")
        self.assertEqual(
            dict(fields["payment_state"]["selection"])["partial"], "部分付款"
        )
        self.assertEqual(
            dict(fields["invoice_status"]["selection"])["to invoice"], "待开票"
        )
        self.assertEqual(
            self.env_zh["crm.order.status"].fields_get(
                ["paid_next_status_id"], ["string"]
            )["paid_next_status_id"]["string"],
            "付款后推进到",
        )

    def test_new_messages(self):
        help_text = self.env_zh["crm.order.status"].fields_get(
            ["paid_next_status_id"], ["help"]
        )["paid_next_status_id"]["help"]
        self.assertTrue(help_text.endswith("进入此状态时已全额付款的订单会立即推进。"))
        self.assertEqual(
            self.env_zh._(
                "Invoiced orders cannot be deleted: %(orders)s.", orders="S00001"
            ),
            "已开票的订单不能删除：S00001。",
        )
