# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import polib

from odoo.tests import TransactionCase, tagged
from odoo.tools.misc import file_path

MODULE = "crm_order_management_stock_account"
LANG = "zh_CN"


@tagged("post_install", "-at_install")
class TestI18nZhCn(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang(LANG)
        cls.env["ir.module.module"]._load_module_terms([MODULE], [LANG], overwrite=True)
        cls.env.registry.clear_cache()
        cls.env.invalidate_all()

    def test_every_entry_is_translated(self):
        po = polib.pofile(file_path(f"{MODULE}/i18n/{LANG}.po"))
        template = polib.pofile(file_path(f"{MODULE}/i18n/{MODULE}.pot"))
        self.assertEqual([e.msgid for e in po if not e.msgstr or e.fuzzy], [])
        self.assertEqual(sorted(e.msgid for e in po), sorted(e.msgid for e in template))
        policy = (
            self.env["product.template"]
            .with_context(lang=LANG)
            .fields_get(["invoice_policy"], ["string"])["invoice_policy"]["string"]
        )
        self.assertEqual(policy, "开票策略")
