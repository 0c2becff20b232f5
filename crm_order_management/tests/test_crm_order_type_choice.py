# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import tagged

from .common import CrmOrderCommon


@tagged("post_install", "-at_install")
class TestCrmOrderTypeChoice(CrmOrderCommon):
    """The type of an order created without one is chosen from its customer."""

    def test_customer_without_orders_gets_new_customer_type(self):
        order = self._create_order(partner=self.customer)
        self.assertEqual(order.order_type_id, self.type_new)

    def test_customer_with_an_order_gets_returning_type(self):
        self._create_order(partner=self.customer)
        order = self._create_order(partner=self.customer)
        self.assertEqual(order.order_type_id, self.type_returning)

    def test_contact_of_company_with_orders_gets_returning_type(self):
        # the company ordered; its contact's first order is a returning one
        self._create_order(partner=self.customer_company)
        order = self._create_order(partner=self.customer_contact)
        self.assertEqual(order.order_type_id, self.type_returning)

    def test_company_of_contact_with_orders_gets_returning_type(self):
        self._create_order(partner=self.customer_contact)
        order = self._create_order(partner=self.customer_company)
        self.assertEqual(order.order_type_id, self.type_returning)

    def test_customer_with_only_cancelled_orders_gets_new_customer_type(self):
        self._cancel(self._create_order(partner=self.customer))
        order = self._create_order(partner=self.customer)
        self.assertEqual(order.order_type_id, self.type_new)

    def test_customer_with_a_completed_order_gets_returning_type(self):
        self._complete(self._create_order(partner=self.customer))
        order = self._create_order(partner=self.customer)
        self.assertEqual(order.order_type_id, self.type_returning)

    def test_customer_default_type_wins(self):
        self._create_order(partner=self.customer)
        self.customer.crm_order_type_id = self.type_competitor
        order = self._create_order(partner=self.customer)
        self.assertEqual(order.order_type_id, self.type_competitor)

    def test_company_default_type_applies_to_its_contacts(self):
        self.customer_company.crm_order_type_id = self.type_recurring
        order = self._create_order(partner=self.customer_contact)
        self.assertEqual(order.order_type_id, self.type_recurring)

    def test_given_type_is_kept(self):
        self._create_order(partner=self.customer)
        order = self._create_order(
            partner=self.customer, order_type_id=self.type_recurring.id
        )
        self.assertEqual(order.order_type_id, self.type_recurring)

    def test_orders_created_together_for_new_customer_one_is_new(self):
        # a new customer has one new customer's order: the first of the batch
        orders = (
            self.env["crm.order"]
            .with_user(self.salesman)
            .create(
                [
                    {"partner_id": self.customer.id, "line_ids": [self._line()]},
                    {"partner_id": self.customer.id, "line_ids": [self._line()]},
                ]
            )
        )
        self.assertEqual(orders[0].order_type_id, self.type_new)
        self.assertEqual(orders[1].order_type_id, self.type_returning)
