# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import Form, tagged

from .common import CrmOrderCommon


@tagged("post_install", "-at_install")
class TestCrmOrderForm(CrmOrderCommon):
    """What a salesperson sees while filling in the order form."""

    def _form(self, user=None):
        return Form(self.env["crm.order"].with_user(user or self.salesman))

    def test_form_defaults(self):
        form = self._form()
        self.assertEqual(form.status_id, self.status_draft)
        self.assertEqual(form.user_id, self.salesman)
        self.assertEqual(form.company_id, self.company)
        self.assertEqual(form.name, "New")

    def test_choosing_customer_fills_type(self):
        form = self._form()
        form.partner_id = self.customer
        self.assertEqual(form.order_type_id, self.type_new)

    def test_choosing_returning_customer_fills_returning_type(self):
        self._create_order(partner=self.customer_company)
        form = self._form()
        form.partner_id = self.customer_contact
        self.assertEqual(form.order_type_id, self.type_returning)

    def test_choosing_customer_with_default_type_fills_it(self):
        self.customer.crm_order_type_id = self.type_competitor
        form = self._form()
        form.partner_id = self.customer
        self.assertEqual(form.order_type_id, self.type_competitor)

    def test_choosing_product_fills_description_and_price(self):
        form = self._form()
        form.partner_id = self.customer
        with form.line_ids.new() as line:
            line.product_id = self.product
            # description: the product's display name and its sales description
            self.assertEqual(line.name, "Office Desk\nOak desk, 160 cm")
            self.assertEqual(line.price_unit, 10.0)
            self.assertEqual(line.quantity, 1.0)
            self.assertEqual(line.price_subtotal, 10.0)
        order = form.save()
        self.assertEqual(order.line_ids.product_uom_id, self.product.uom_id)

    def test_amounts_computed_live(self):
        # desk: 3 × 10.0 at 10 % = 27.0 (30.0 before discount);
        # service: 2 × 50.0 = 100.0; total 127.0, discount 3.0
        form = self._form()
        form.partner_id = self.customer
        with form.line_ids.new() as line:
            line.product_id = self.product
            line.quantity = 3.0
            line.discount = 10.0
            self.assertEqual(line.price_subtotal, 27.0)
        self.assertEqual(form.amount_total, 27.0)
        with form.line_ids.new() as line:
            line.product_id = self.service
            line.quantity = 2.0
        self.assertEqual(form.amount_undiscounted, 130.0)
        self.assertEqual(form.amount_discount, 3.0)
        self.assertEqual(form.amount_total, 127.0)
        order = form.save()
        self.assertEqual(order.amount_total, 127.0)
        self.assertEqual(order.line_ids.mapped("price_subtotal"), [27.0, 100.0])

    def test_saved_form_numbers_the_order(self):
        form = self._form()
        form.partner_id = self.customer
        with form.line_ids.new() as line:
            line.product_id = self.product
        order = form.save()
        self.assertTrue(order.name.startswith("NEW/"))
        self.assertEqual(order.order_type_id, self.type_new)
        self.assertEqual(order.status_id, self.status_draft)

    def test_lines_readonly_on_done_order(self):
        order = self._complete(self._create_order())
        form = Form(order.with_user(self.salesman))
        self.assertTrue(form._get_modifier("line_ids", "readonly"))
