# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tests.common import new_test_user

from .common import CrmOrderCommon


@tagged("post_install", "-at_install")
class TestCrmOrderSalespersonIsolation(CrmOrderCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order_own = cls._create_order(user=cls.salesman)
        cls.order_other = cls._create_order(user=cls.salesman_other)
        cls.order_unassigned = cls._create_order(user_id=False)
        cls.orders = cls.order_own | cls.order_other | cls.order_unassigned

    def _visible(self, user):
        return (
            self.env["crm.order"]
            .with_user(user)
            .search([("id", "in", self.orders.ids)])
            .with_env(self.env)
        )

    def test_salesman_sees_own_and_unassigned_orders(self):
        self.assertEqual(
            self._visible(self.salesman), self.order_own | self.order_unassigned
        )

    def test_salesman_cannot_read_other_salesman_order(self):
        with self.assertRaises(AccessError):
            self.order_other.with_user(self.salesman).read(["name"])

    def test_salesman_cannot_write_other_salesman_order(self):
        with self.assertRaises(AccessError):
            self.order_other.with_user(self.salesman).write({"note": "<p>Mine</p>"})

    def test_salesman_cannot_read_other_salesman_lines_and_history(self):
        with self.assertRaises(AccessError):
            self.order_other.line_ids.with_user(self.salesman).read(["name"])
        with self.assertRaises(AccessError):
            self.order_other.status_history_ids.with_user(self.salesman).read(["date"])

    def test_all_documents_user_sees_every_order(self):
        self.assertEqual(self._visible(self.salesman_all), self.orders)
        self.assertEqual(self._visible(self.manager), self.orders)

    def test_all_documents_user_moves_other_salesman_order(self):
        self._move(self.order_other, self.status_payment, user=self.salesman_all)
        self.assertEqual(self.order_other.status_id, self.status_payment)

    def test_salesman_cannot_configure_statuses_and_types(self):
        with self.assertRaises(AccessError):
            self.status_draft.with_user(self.salesman).name = "Quote"
        with self.assertRaises(AccessError):
            self.env["crm.order.type"].with_user(self.salesman).create({"name": "Mine"})
        with self.assertRaises(AccessError):
            self.env["crm.order.transition"].with_user(self.salesman).create(
                {
                    "from_status_id": self.status_draft.id,
                    "to_status_id": self.status_completed.id,
                }
            )


@tagged("post_install", "-at_install")
class TestCrmOrderMultiCompany(CrmOrderCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Lotus Branch B"})
        cls.user_a = new_test_user(
            cls.env,
            login="crm_order_user_a",
            groups="sales_team.group_sale_salesman_all_leads",
            company_id=cls.company.id,
            company_ids=[(6, 0, cls.company.ids)],
        )
        cls.user_ab = new_test_user(
            cls.env,
            login="crm_order_user_ab",
            groups="sales_team.group_sale_salesman_all_leads",
            company_id=cls.company.id,
            company_ids=[(6, 0, (cls.company | cls.company_b).ids)],
        )
        cls.order_a = cls._create_order(user=cls.user_a)
        cls.order_b = cls._create_order(user=cls.user_ab, company_id=cls.company_b.id)
        cls.partner_b = cls.env["res.partner"].create(
            {"name": "Branch B Customer", "company_id": cls.company_b.id}
        )
        cls.type_b = cls.env["crm.order.type"].create(
            {"name": "Branch B Type", "company_id": cls.company_b.id}
        )

    def test_order_takes_company_of_its_creation(self):
        self.assertEqual(self.order_b.company_id, self.company_b)
        self.assertEqual(self.order_b.line_ids.company_id, self.company_b)
        self.assertEqual(self.order_b.status_history_ids.company_id, self.company_b)

    def test_user_of_company_a_does_not_see_company_b_orders(self):
        orders = self.order_a | self.order_b
        found = (
            self.env["crm.order"]
            .with_user(self.user_a)
            .search([("id", "in", orders.ids)])
        )
        self.assertEqual(found.ids, self.order_a.ids)
        with self.assertRaises(AccessError):
            self.order_b.with_user(self.user_a).read(["name"])

    def test_user_of_both_companies_sees_both(self):
        orders = self.order_a | self.order_b
        found = (
            self.env["crm.order"]
            .with_user(self.user_ab)
            .with_context(allowed_company_ids=(self.company | self.company_b).ids)
            .search([("id", "in", orders.ids)])
        )
        self.assertEqual(sorted(found.ids), sorted(orders.ids))

    def test_company_b_type_invisible_to_company_a(self):
        types = self.env["crm.order.type"].with_user(self.user_a).search([])
        self.assertNotIn(self.type_b, types.with_env(self.env))
        self.assertIn(self.type_new, types.with_env(self.env))

    def test_partner_of_other_company_refused(self):
        with self.assertRaises(UserError):
            self._create_order(partner=self.partner_b, user=self.user_ab)

    def test_type_of_other_company_refused(self):
        with self.assertRaises(UserError):
            self._create_order(order_type_id=self.type_b.id, user=self.user_ab)

    def test_type_of_company_b_numbers_with_company_b_sequence(self):
        self.assertEqual(self.type_b.sequence_id.company_id, self.company_b)
        order = self._create_order(
            partner=self.partner_b,
            order_type_id=self.type_b.id,
            company_id=self.company_b.id,
            user=self.user_ab,
        )
        self.assertEqual(order.name, "ORD/00001")
