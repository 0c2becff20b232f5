# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re

from odoo.tests import tagged
from odoo.tests.common import new_test_user

from .common import CrmOrderStockXmlrpcCase


@tagged("post_install", "-at_install")
class TestPortalDeliveries(CrmOrderStockXmlrpcCase):
    def test_order_page_lists_the_deliveries_without_a_link(self):
        portal_user = new_test_user(
            self.env,
            login="crm_portal_paula",
            name="Paula Portal",
            groups="base.group_portal",
        )
        portal_user.partner_id.parent_id = self.customer_company
        order = self._to_shipment(
            self._goods_order((self.chair, 5.0), partner=self.customer_contact)
        )
        picking = order.picking_ids
        self._validate(picking, {self.chair: 2.0})
        backorder = order.picking_ids - picking
        self.authenticate(portal_user.login, portal_user.login)
        page = self.url_open(f"/my/crm_orders/{order.id}")
        self.assertEqual(page.status_code, 200)
        documents = re.search(
            r'id="crm_order_documents".*?</section>', page.text, flags=re.DOTALL
        ).group(0)
        items = [
            re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", item)).strip()
            for item in re.findall(r"<li>(.*?)</li>", documents, flags=re.DOTALL)
        ]
        self.assertEqual(items, [f"{picking.name} Done", f"{backorder.name} Ready"])
        self.assertNotIn("<a ", documents)
