# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import TransactionCase, tagged

from odoo.addons.crm_order_management.tests.common import PoFileMixin

MODULE = "crm_order_management_stock_account"
LANG = "zh_CN"


@tagged("post_install", "-at_install")
class TestI18nZhCn(PoFileMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang(LANG)
        cls.env["ir.module.module"]._load_module_terms([MODULE], [LANG], overwrite=True)
        cls.env.registry.clear_cache()
        cls.env.invalidate_all()

    def test_every_entry_is_translated(self):
        self.assertPoFileComplete(MODULE)

    def test_field_string(self):
        policy = (
            self.env["product.template"]
            .with_context(lang=LANG)
            .fields_get(["invoice_policy"], ["string"])["invoice_policy"]["string"]
        )
        self.assertEqual(policy, "开票策略")
