# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import CrmOrderCommon


def _dt(value):
    return fields.Datetime.to_datetime(value)


@tagged("post_install", "-at_install")
class TestCrmOrderRating(CrmOrderCommon):
    """The customer rates a completed order from 1 to 5; the rating is a
    rating.rating record (rating.mixin), dated when it is given (the write date
    of the record, the time of the transaction that gave it)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls._complete(cls._create_order())

    def _assert_unrated(self, order):
        self.assertEqual(order.rating, 0)
        self.assertFalse(order.rating_date)
        self.assertFalse(order.rating_comment)

    def _consumed(self, order):
        return order.rating_ids.filtered("consumed")

    def test_rating_a_completed_order_dates_it(self):
        self.order.with_user(self.salesman).write(
            {"rating": 4, "rating_comment": "Quick delivery"}
        )
        self.assertEqual(self.order.rating, 4)
        self.assertEqual(self.order.rating_comment, "Quick delivery")
        self.assertEqual(self.order.rating_date, self.env.cr.now())
        rating = self._consumed(self.order)
        self.assertEqual(len(rating), 1)
        self.assertEqual(
            (rating.rating, rating.feedback, rating.partner_id, rating.write_date),
            (4.0, "Quick delivery", self.customer, self.env.cr.now()),
        )

    def test_action_rate_records_rating_and_comment(self):
        result = self.order.with_user(self.salesman).action_rate(5, "Excellent")
        self.assertIs(result, True)
        self.assertEqual(self.order.rating, 5)
        self.assertEqual(self.order.rating_comment, "Excellent")
        self.assertEqual(self.order.rating_date, self.env.cr.now())
        self.assertEqual(self._consumed(self.order).rating, 5.0)

    def test_rating_again_moves_the_date(self):
        self.order.with_user(self.salesman).action_rate(2)
        rating = self._consumed(self.order)
        # given on 10 March
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE rating_rating SET write_date = %s WHERE id = %s",
            ["2026-03-10 11:15:00", rating.id],
        )
        self.env.invalidate_all()
        self.env.add_to_compute(self.order._fields["rating_date"], self.order)
        self.assertEqual(self.order.rating_date, _dt("2026-03-10 11:15:00"))
        self.order.with_user(self.salesman).action_rate(3)
        self.assertEqual(self.order.rating, 3)
        self.assertEqual(self.order.rating_date, self.env.cr.now())
        # the same rating, changed
        self.assertEqual(self._consumed(self.order), rating)
        self.assertEqual(rating.rating, 3.0)

    def test_rating_records_of_other_paths_are_the_order_rating(self):
        """Whatever gives the rating.rating (a message with a rating, as the
        chatter's rating does), the order shows it."""
        self.order.with_user(self.salesman).message_post(
            body="Rated on the phone", rating_value=4
        )
        self.assertEqual(self.order.rating, 4)
        self.assertEqual(self.order.rating_date, self.env.cr.now())

    def test_other_paths_cannot_rate_an_order_not_completed(self):
        draft = self._create_order()
        with self.assertRaisesRegex(
            ValidationError, "Only completed orders can be rated"
        ):
            draft.with_user(self.salesman).message_post(body="Hm", rating_value=5)
        self._assert_unrated(draft)
        self.assertFalse(draft.rating_ids)
        with self.assertRaisesRegex(
            ValidationError, "A rating is a whole number from 1 to 5, not 2.5"
        ):
            self.order.with_user(self.salesman).message_post(
                body="Hm", rating_value=2.5
            )
        self._assert_unrated(self.order)

    def test_a_comment_goes_with_a_rating(self):
        with self.assertRaisesRegex(UserError, "A comment goes with a rating"):
            self.order.with_user(self.salesman).write({"rating_comment": "Nice"})
        self._assert_unrated(self.order)
        self.order.with_user(self.salesman).action_rate(4, "Fine")
        self.order.with_user(self.salesman).write({"rating_comment": "Fine indeed"})
        self.assertEqual(self._consumed(self.order).feedback, "Fine indeed")

    def test_draft_open_and_cancelled_orders_cannot_be_rated(self):
        draft = self._create_order()
        awaiting_payment = self._move(self._create_order(), self.status_payment)
        cancelled = self._cancel(self._create_order())
        for order in (draft, awaiting_payment, cancelled):
            with self.subTest(status=order.status_id.name):
                with self.assertRaises(UserError):
                    order.with_user(self.salesman).action_rate(5, "Too early")
                self._assert_unrated(order)

    def test_rating_a_batch_with_an_order_not_completed_rates_none(self):
        draft = self._create_order()
        orders = (self.order | draft).with_user(self.salesman)
        with self.assertRaises(UserError):
            orders.write({"rating": 5})
        self._assert_unrated(self.order)
        self._assert_unrated(draft)

    def test_new_order_cannot_be_created_rated(self):
        # a new order is a draft: not completed, so not rated (else a client
        # could rate any order by creating it with a rating)
        with self.assertRaises(UserError):
            self._create_order(rating=5)
        with self.assertRaises(UserError):
            self.env["crm.order"].create(
                {
                    "partner_id": self.customer.id,
                    "line_ids": [self._line()],
                    "rating": 4,
                    "rating_date": "2024-03-08 10:00:00",
                }
            )

    def test_ratings_outside_one_to_five_are_refused(self):
        for rating in (6, -1, 2.5, "4", True):
            with self.subTest(rating=rating):
                with self.assertRaises(ValidationError):
                    self.order.with_user(self.salesman).write({"rating": rating})
                self._assert_unrated(self.order)

    def test_rating_zero_clears_rating_and_date(self):
        self.order.with_user(self.salesman).action_rate(4, "Fine")
        self.order.with_user(self.salesman).write({"rating": 0})
        self._assert_unrated(self.order)
        self.assertFalse(self._consumed(self.order))

    def test_rating_zero_allowed_on_any_order(self):
        draft = self._create_order()
        draft.with_user(self.salesman).write({"rating": 0})
        self._assert_unrated(draft)

    def test_rating_date_is_not_writable_by_users(self):
        self.order.with_user(self.salesman).action_rate(4)
        rating_date = self.order.rating_date
        for user in (self.salesman, self.manager):
            with self.subTest(user=user.login):
                with self.assertRaises(UserError):
                    self.order.with_user(user).write(
                        {"rating_date": "2020-01-01 00:00:00"}
                    )
                with self.assertRaises(UserError):
                    self.order.with_user(user).write(
                        {"rating": 5, "rating_date": "2020-01-01 00:00:00"}
                    )
        self.assertEqual(self.order.rating, 4)
        self.assertEqual(self.order.rating_date, rating_date)

    def test_superuser_import_keeps_the_given_rating_date(self):
        self.order.with_context(crm_order_import=True).write(
            {"rating": 3, "rating_date": "2024-03-08 10:00:00"}
        )
        self.assertEqual(self.order.rating_date, _dt("2024-03-08 10:00:00"))
        self.assertEqual(
            self._consumed(self.order).write_date, _dt("2024-03-08 10:00:00")
        )

    def test_rating_is_not_copied(self):
        self.order.with_user(self.salesman).action_rate(5, "Great")
        copy = self.order.copy()
        self._assert_unrated(copy)
