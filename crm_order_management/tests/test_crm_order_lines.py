# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from psycopg2 import IntegrityError

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import CrmOrderCommon


@tagged("post_install", "-at_install")
class TestCrmOrderLines(CrmOrderCommon):
    """Lines locked by the order status, lines required out of draft, deletion
    rules and the SQL constraints of lines."""

    def _new_line(self, order, user=None):
        return (
            self.env["crm.order.line"]
            .with_user(user or self.salesman)
            .create({"order_id": order.id, "product_id": self.product.id})
        )

    # ------------------------------------------------------------
    # LOCKED LINES
    # ------------------------------------------------------------

    def test_lines_of_open_order_can_be_changed(self):
        order = self._move(self._create_order(), self.status_payment)
        line = self._new_line(order)
        line.with_user(self.salesman).quantity = 2.0
        order.line_ids[0].with_user(self.salesman).unlink()
        # left: the new line, 2 × 10.0 (list price)
        self.assertEqual(order.line_ids, line)
        self.assertEqual(order.amount_total, 20.0)

    def test_lines_of_done_order_are_locked(self):
        order = self._complete(self._create_order(lines=[(1, 10, 0), (2, 10, 0)]))
        line = order.line_ids[0]
        with self.assertRaises(UserError):
            self._new_line(order, user=self.manager)
        with self.assertRaises(UserError):
            line.with_user(self.manager).quantity = 5.0
        with self.assertRaises(UserError):
            line.with_user(self.manager).unlink()
        order.invalidate_recordset()
        self.assertEqual(len(order.line_ids), 2)
        self.assertEqual(line.quantity, 1.0)
        self.assertEqual(order.amount_total, 30.0)

    def test_lines_of_cancelled_order_are_locked(self):
        order = self._cancel(self._create_order(lines=[(1, 10, 0), (2, 10, 0)]))
        line = order.line_ids[0]
        with self.assertRaises(UserError):
            self._new_line(order, user=self.manager)
        with self.assertRaises(UserError):
            line.with_user(self.manager).discount = 50.0
        with self.assertRaises(UserError):
            line.with_user(self.manager).unlink()
        order.invalidate_recordset()
        self.assertEqual(len(order.line_ids), 2)
        self.assertEqual(line.discount, 0.0)

    def test_lines_through_order_write_are_locked(self):
        order = self._complete(self._create_order())
        with self.assertRaises(UserError):
            order.with_user(self.manager).write({"line_ids": [self._line(1.0, 5.0)]})
        self.assertEqual(len(order.line_ids), 1)

    def test_line_cannot_move_to_locked_order(self):
        done_order = self._complete(self._create_order())
        line = self._create_order(lines=[(1, 10, 0), (1, 10, 0)]).line_ids[0]
        with self.assertRaises(UserError):
            line.with_user(self.manager).order_id = done_order
        self.assertEqual(len(done_order.line_ids), 1)

    def test_reopened_order_lines_are_editable_again(self):
        order = self._cancel(self._create_order())
        self._move(order, self.status_draft, user=self.manager)
        order.line_ids.with_user(self.salesman).quantity = 3.0
        self.assertEqual(order.amount_total, 30.0)

    # ------------------------------------------------------------
    # LINES REQUIRED OUT OF DRAFT
    # ------------------------------------------------------------

    def test_order_without_lines_cannot_leave_draft(self):
        order = self._create_order(lines=[])
        with self.assertRaises(UserError):
            self._move(order, self.status_payment)
        self.assertEqual(order.status_id, self.status_draft)
        self.assertEqual(len(order.status_history_ids), 1)

    def test_draft_order_without_lines_can_be_cancelled(self):
        order = self._cancel(self._create_order(lines=[]))
        self.assertEqual(order.status_id, self.status_cancelled)
        self.assertFalse(order.date_confirmed)

    def test_order_out_of_draft_keeps_its_last_line(self):
        order = self._move(self._create_order(), self.status_payment)
        with self.assertRaises(UserError):
            order.line_ids.with_user(self.salesman).unlink()
        self.assertEqual(len(order.line_ids), 1)

    def test_draft_order_can_lose_all_lines(self):
        order = self._create_order(lines=[(1, 10, 0), (1, 10, 0)])
        order.line_ids.with_user(self.salesman).unlink()
        self.assertFalse(order.line_ids)
        self.assertEqual(order.amount_total, 0.0)

    # ------------------------------------------------------------
    # DELETION
    # ------------------------------------------------------------

    def test_draft_order_can_be_deleted(self):
        order = self._create_order()
        lines = order.line_ids
        order.with_user(self.salesman).unlink()
        self.assertFalse(order.exists())
        self.assertFalse(lines.exists())

    def test_cancelled_order_is_deleted_by_a_manager(self):
        # a draft cancelled at once counts as a cancellation in the metrics
        order = self._cancel(self._create_order())
        with self.assertRaises(UserError) as error:
            order.with_user(self.salesman).unlink()
        self.assertEqual(
            str(error.exception),
            "Orders that left draft keep their history for the metrics: only "
            f"sales managers delete them ({order.display_name}).",
        )
        self.assertTrue(order.exists())
        order.with_user(self.manager).unlink()
        self.assertFalse(order.exists())

    def test_draft_moved_to_another_draft_status_is_still_a_draft(self):
        # the history of draft statuses counts nothing in the metrics
        quotation_sent = self.env["crm.order.status"].create(
            {"name": "Quotation Sent", "category": "draft", "sequence": 2}
        )
        self.env["crm.order.transition"].create(
            {"from_status_id": self.status_draft.id, "to_status_id": quotation_sent.id}
        )
        order = self._move(self._create_order(), quotation_sent)
        self.assertEqual(len(order.status_history_ids), 2)
        order.with_user(self.salesman).unlink()
        self.assertFalse(order.exists())

    def test_open_order_cannot_be_deleted(self):
        order = self._move(self._create_order(), self.status_payment)
        with self.assertRaises(UserError) as error:
            order.with_user(self.manager).unlink()
        self.assertIn(order.name, str(error.exception))
        self.assertTrue(order.exists())

    def test_done_order_cannot_be_deleted(self):
        order = self._complete(self._create_order())
        with self.assertRaises(UserError):
            order.unlink()
        self.assertTrue(order.exists())

    # ------------------------------------------------------------
    # SQL CONSTRAINTS
    # ------------------------------------------------------------

    def _assert_line_refused(self, quantity=1.0, price_unit=10.0, discount=0.0):
        order = self._create_order(lines=[])
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self.env["crm.order.line"].create(
                {
                    "order_id": order.id,
                    "product_id": self.product.id,
                    "quantity": quantity,
                    "price_unit": price_unit,
                    "discount": discount,
                }
            )
            self.env.flush_all()

    def test_quantity_must_be_positive(self):
        self._assert_line_refused(quantity=0.0)
        self._assert_line_refused(quantity=-1.0)

    def test_price_unit_cannot_be_negative(self):
        self._assert_line_refused(price_unit=-0.01)

    def test_discount_between_0_and_100(self):
        self._assert_line_refused(discount=-1.0)
        self._assert_line_refused(discount=100.01)

    def test_limit_values_are_accepted(self):
        # smallest quantity (2 decimals), free, at 100 % discount: 0.0
        order = self._create_order(lines=[(0.01, 0.0, 100.0), (1.0, 10.0, 0.0)])
        self.assertEqual(order.amount_total, 10.0)

    def test_quantity_constraint_applies_to_write(self):
        line = self._create_order().line_ids
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            line.quantity = 0.0
            self.env.flush_all()
