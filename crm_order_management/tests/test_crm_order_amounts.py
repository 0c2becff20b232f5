# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import tagged

from .common import CrmOrderCommon


@tagged("post_install", "-at_install")
class TestCrmOrderAmounts(CrmOrderCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The hand-worked figures below are in a currency rounded to the cent.
        cls.currency.rounding = 0.01

    def test_line_discount_amounts(self):
        # 3 × 10.0 = 30.0 before discount; 30.0 × (1 - 10 / 100) = 27.0
        order = self._create_order(lines=[(3.0, 10.0, 10.0)])
        self.assertEqual(order.line_ids.price_undiscounted, 30.0)
        self.assertEqual(order.line_ids.price_subtotal, 27.0)

    def test_order_totals_sum_lines(self):
        # line 1: 3 × 10.0 at 10 %  → 30.00 before, 27.00 after
        # line 2: 2 × 50.0 at  0 %  → 100.00 before, 100.00 after
        # line 3: 1 × 19.99 at 25 % → 19.99 before, 14.9925 → 14.99 after
        # before discount 149.99, untaxed 141.99, discount 149.99 - 141.99 = 8.00
        order = self._create_order(
            lines=[(3.0, 10.0, 10.0), (2.0, 50.0, 0.0), (1.0, 19.99, 25.0)]
        )
        self.assertEqual(order.amount_undiscounted, 149.99)
        self.assertEqual(order.amount_untaxed, 141.99)
        self.assertEqual(order.amount_discount, 8.0)
        self.assertEqual(order.amount_total, 141.99)

    def test_line_amounts_rounded_in_currency(self):
        # 0.33 × 3.03 = 0.9999 → 1.00 before discount;
        # 0.9999 × (1 - 15 / 100) = 0.849915 → 0.85 after the discount;
        # discount 1.00 - 0.85 = 0.15
        order = self._create_order(lines=[(0.33, 3.03, 15.0)])
        line = order.line_ids
        self.assertEqual(line.price_undiscounted, 1.0)
        self.assertEqual(line.price_subtotal, 0.85)
        self.assertEqual(order.amount_undiscounted, 1.0)
        self.assertEqual(order.amount_untaxed, 0.85)
        self.assertEqual(order.amount_discount, 0.15)

    def test_unit_price_rounded_to_price_precision(self):
        # the unit price keeps 2 decimals ("Product Price"): 0.333 is stored as 0.33;
        # 3 × 0.33 = 0.99 before discount; 0.99 × 0.85 = 0.8415 → 0.84 after
        order = self._create_order(lines=[(3.0, 0.333, 15.0)])
        line = order.line_ids
        self.assertEqual(line.price_unit, 0.33)
        self.assertEqual(line.price_undiscounted, 0.99)
        self.assertEqual(line.price_subtotal, 0.84)
        self.assertEqual(order.amount_untaxed, 0.84)
        self.assertEqual(order.amount_discount, 0.15)

    def test_order_total_is_sum_of_rounded_lines(self):
        # each line: 1 × 0.01 at 50 % = 0.005 → rounded half-up to 0.01;
        # the order adds the rounded subtotals: 3 × 0.01 = 0.03 (not round(0.015))
        order = self._create_order(lines=[(1.0, 0.01, 50.0)] * 3)
        self.assertEqual(order.line_ids.mapped("price_subtotal"), [0.01, 0.01, 0.01])
        self.assertEqual(order.amount_undiscounted, 0.03)
        self.assertEqual(order.amount_total, 0.03)
        self.assertEqual(order.amount_discount, 0.0)

    def test_totals_follow_line_changes(self):
        # 3 × 10.0 at 10 % = 27.0; the line becomes 4 × 10.0 at 10 % = 36.0,
        # then a second line 1 × 50.0 at 0 % is added: 36.0 + 50.0 = 86.0,
        # then the first line is removed: 50.0
        order = self._create_order(lines=[(3.0, 10.0, 10.0)])
        first_line = order.line_ids
        first_line.with_user(self.salesman).quantity = 4.0
        self.assertEqual(order.amount_total, 36.0)
        self.assertEqual(order.amount_discount, 4.0)
        order.with_user(self.salesman).write({"line_ids": [self._line(1.0, 50.0)]})
        self.assertEqual(order.amount_undiscounted, 90.0)
        self.assertEqual(order.amount_total, 86.0)
        first_line.with_user(self.salesman).unlink()
        self.assertEqual(order.amount_total, 50.0)
        self.assertEqual(order.amount_discount, 0.0)

    def test_order_without_lines_totals_zero(self):
        order = self._create_order(lines=[])
        self.assertEqual(order.amount_undiscounted, 0.0)
        self.assertEqual(order.amount_discount, 0.0)
        self.assertEqual(order.amount_total, 0.0)
