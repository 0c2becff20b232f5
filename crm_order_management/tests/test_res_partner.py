# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields
from odoo.tests import tagged

from .common import CrmOrderCommon


@tagged("post_install", "-at_install")
class TestResPartnerOrderFigures(CrmOrderCommon):
    """Order figures of a customer, over its commercial entity."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the contact: 3 × 10.0 = 30.0 on 5 Jan, completed
        cls.order_contact = cls._complete(
            cls._create_order(
                partner=cls.customer_contact,
                lines=[(3.0, 10.0, 0.0)],
                date_order="2026-01-05 10:00:00",
            )
        )
        # the company: 2 × 50.0 at 10 % = 90.0 on 1 Feb, draft
        cls.order_company = cls._create_order(
            partner=cls.customer_company,
            lines=[(2.0, 50.0, 10.0)],
            date_order="2026-02-01 14:00:00",
        )
        # the contact: 1 × 1000.0 on 20 Jan, cancelled
        cls.order_cancelled = cls._cancel(
            cls._create_order(
                partner=cls.customer_contact,
                lines=[(1.0, 1000.0, 0.0)],
                date_order="2026-01-20 09:00:00",
            )
        )

    def _assert_figures(self, partner, count, total, first, last):
        self.assertEqual(partner.crm_order_count, count)
        self.assertEqual(partner.crm_order_total, total)
        self.assertEqual(partner.crm_order_currency_id, self.currency)
        self.assertEqual(
            partner.crm_order_first_date, fields.Datetime.to_datetime(first)
        )
        self.assertEqual(partner.crm_order_last_date, fields.Datetime.to_datetime(last))

    def test_company_figures_include_its_contacts(self):
        # 3 orders; total 30.0 + 90.0 = 120.0 (the cancelled 1000.0 is left out)
        self._assert_figures(
            self.customer_company,
            3,
            120.0,
            "2026-01-05 10:00:00",
            "2026-02-01 14:00:00",
        )

    def test_contact_figures_are_those_of_its_company(self):
        self._assert_figures(
            self.customer_contact,
            3,
            120.0,
            "2026-01-05 10:00:00",
            "2026-02-01 14:00:00",
        )

    def test_customer_without_orders_has_empty_figures(self):
        self.assertEqual(self.customer.crm_order_count, 0)
        self.assertEqual(self.customer.crm_order_total, 0.0)
        self.assertFalse(self.customer.crm_order_first_date)
        self.assertFalse(self.customer.crm_order_last_date)

    def test_figures_for_salesman_count_only_visible_orders(self):
        # a salesperson sees their own orders only: the other salesperson's
        # 1 × 500.0 order is not in their figures
        self._create_order(
            partner=self.customer_company,
            lines=[(1.0, 500.0, 0.0)],
            user=self.salesman_other,
            date_order="2026-03-01 08:00:00",
        )
        partner = self.customer_company.with_user(self.salesman)
        self.assertEqual(partner.crm_order_count, 3)
        self.assertEqual(partner.crm_order_total, 120.0)
        manager_view = self.customer_company.with_user(self.manager)
        self.assertEqual(manager_view.crm_order_count, 4)
        self.assertEqual(manager_view.crm_order_total, 620.0)

    def test_view_orders_action_filters_commercial_entity(self):
        action = self.customer_contact.with_user(self.salesman).action_view_crm_orders()
        self.assertEqual(
            action["domain"], [("commercial_partner_id", "=", self.customer_company.id)]
        )
        self.assertEqual(
            action["context"], {"default_partner_id": self.customer_contact.id}
        )
