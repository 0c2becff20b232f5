# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CrmOrderCommon


@tagged("post_install", "-at_install")
class TestCrmOrderNumbering(CrmOrderCommon):
    """Each order type numbers its orders with its own sequence. The counters are
    shared with demo data, so the tests check prefixes and consecutive numbers
    rather than a starting value."""

    def _new_customer(self):
        """A customer without orders: its first order is a New Customer order."""
        return self.env["res.partner"].create({"name": "First-time Customer"})

    def _number(self, order, prefix):
        self.assertRegex(order.name, r"^%s\d{5}$" % prefix.replace("/", r"\/"))
        return int(order.name[len(prefix) :])

    def test_type_has_own_sequence_with_its_prefix(self):
        self.assertEqual(self.type_new.sequence_id.prefix, "NEW/%(year)s/")
        self.assertEqual(self.type_returning.sequence_id.prefix, "RET/%(year)s/")
        self.assertNotEqual(self.type_new.sequence_id, self.type_returning.sequence_id)

    @freeze_time("2026-03-10 09:00:00")
    def test_order_number_uses_type_prefix_and_year(self):
        order = self._create_order(order_type_id=self.type_new.id)
        self._number(order, "NEW/2026/")

    @freeze_time("2026-03-10 09:00:00")
    def test_consecutive_orders_of_a_type_get_consecutive_numbers(self):
        first = self._create_order(order_type_id=self.type_new.id)
        second = self._create_order(
            self._new_customer(), order_type_id=self.type_new.id
        )
        self.assertEqual(
            self._number(second, "NEW/2026/"), self._number(first, "NEW/2026/") + 1
        )

    @freeze_time("2026-01-02 09:00:00")
    def test_number_year_follows_order_date(self):
        # an order dated in 2025, entered on 2 January 2026, is numbered in 2025
        order = self._create_order(
            order_type_id=self.type_new.id, date_order="2025-12-31 15:00:00"
        )
        self._number(order, "NEW/2025/")

    @freeze_time("2026-03-10 09:00:00")
    def test_orders_created_together_get_consecutive_numbers(self):
        orders = (
            self.env["crm.order"]
            .with_user(self.salesman)
            .create(
                [
                    {
                        "partner_id": self._new_customer().id,
                        "order_type_id": self.type_new.id,
                        "line_ids": [self._line()],
                    }
                    for _index in range(3)
                ]
            )
        )
        numbers = [self._number(order, "NEW/2026/") for order in orders]
        self.assertEqual(numbers, [numbers[0], numbers[0] + 1, numbers[0] + 2])

    @freeze_time("2026-03-10 09:00:00")
    def test_types_number_independently(self):
        # NEW, RET, NEW: the returning order does not consume a NEW number
        new_1 = self._create_order(order_type_id=self.type_new.id)
        returning_1 = self._create_order(order_type_id=self.type_returning.id)
        new_2 = self._create_order(self._new_customer(), order_type_id=self.type_new.id)
        returning_2 = self._create_order(order_type_id=self.type_returning.id)
        self.assertEqual(
            self._number(new_2, "NEW/2026/"), self._number(new_1, "NEW/2026/") + 1
        )
        self.assertEqual(
            self._number(returning_2, "RET/2026/"),
            self._number(returning_1, "RET/2026/") + 1,
        )

    @freeze_time("2026-03-10 09:00:00")
    def test_new_type_gets_a_sequence_with_its_prefix(self):
        order_type = (
            self.env["crm.order.type"]
            .with_user(self.manager)
            .create({"name": "Trade Fair", "code": "FAIR", "sequence_prefix": "FAIR/"})
        )
        self.assertEqual(order_type.sequence_id.prefix, "FAIR/")
        self.assertEqual(order_type.sequence_id.padding, 5)
        first = self._create_order(order_type_id=order_type.id)
        second = self._create_order(order_type_id=order_type.id)
        # a brand-new sequence starts at 1
        self.assertEqual(first.name, "FAIR/00001")
        self.assertEqual(second.name, "FAIR/00002")

    @freeze_time("2026-03-10 09:00:00")
    def test_prefix_change_applies_to_next_numbers(self):
        order_type = self.env["crm.order.type"].create(
            {"name": "Trade Fair", "code": "FAIR", "sequence_prefix": "FAIR/"}
        )
        self._create_order(order_type_id=order_type.id)
        order_type.with_user(self.manager).sequence_prefix = "EXPO/%(year)s/"
        order = self._create_order(order_type_id=order_type.id)
        self.assertEqual(order.name, "EXPO/2026/00002")

    def test_given_number_is_refused(self):
        # The number is the server's: a client cannot choose or reuse one.
        with self.assertRaisesRegex(UserError, r"cannot be written: Number \(name\)"):
            self._create_order(order_type_id=self.type_new.id, name="IMPORT-42")
        self.assertFalse(self.env["crm.order"].search([("name", "=", "IMPORT-42")]))

    def test_given_number_is_kept_by_a_history_import(self):
        order = (
            self.env["crm.order"]
            .with_context(crm_order_import=True)
            .create(
                {
                    "partner_id": self.customer.id,
                    "order_type_id": self.type_new.id,
                    "name": "IMPORT-42",
                }
            )
        )
        self.assertEqual(order.name, "IMPORT-42")

    @freeze_time("2026-03-10 09:00:00")
    def test_a_shared_type_numbers_each_company_apart(self):
        """A type of every company numbers each company's orders with a sequence of
        that company: company B's orders do not consume company A's numbers."""
        company_b = self.env["res.company"].create({"name": "Lotus Branch B"})
        Order = self.env["crm.order"]

        def create(company):
            return Order.with_company(company).create(
                {
                    "partner_id": self.customer.id,
                    "company_id": company.id,
                    "order_type_id": self.type_returning.id,
                    "line_ids": [self._line()],
                }
            )

        shared = self.type_returning.sequence_id
        a1 = create(self.company)
        # the type's own counter: where a company's first sequence starts
        start = shared.number_next_actual
        b1 = create(company_b)
        a2 = create(self.company)
        b2 = create(company_b)
        first = self._number(a1, "RET/2026/")
        self.assertEqual(self._number(a2, "RET/2026/"), first + 1)
        # company B's sequence started where the type's shared counter stood, and
        # the shared counter did not move
        self.assertEqual(
            [self._number(b1, "RET/2026/"), self._number(b2, "RET/2026/")],
            [start, start + 1],
        )
        self.assertEqual(shared.number_next_actual, start)
        sequences = self.env["ir.sequence"].search(
            [("code", "=", self.type_returning.sequence_id.code)], order="id"
        )
        self.assertEqual(sequences.mapped("company_id"), self.company | company_b)
        self.assertFalse(self.type_returning.sequence_id.company_id)
