# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tests.common import BaseCase

from odoo.addons.crm_order_management.models.res_partner import loyalty_level

from .common import CrmOrderCommon

TODAY = datetime(2024, 6, 1, 12, 0, 0)
SECOND = timedelta(seconds=1)


def days_ago(days):
    return TODAY - timedelta(days=days)


@tagged("post_install", "-at_install")
class TestLoyaltyLevel(BaseCase):
    """The loyalty rule on (count, first order, last order, today), by hand."""

    def _level(self, count, first, last):
        return loyalty_level(count, first, last, TODAY)

    def test_no_order_has_no_level(self):
        self.assertIs(loyalty_level(0, None, None, TODAY), False)

    def test_one_recent_order_is_new(self):
        self.assertEqual(self._level(1, days_ago(10), days_ago(10)), "new")

    def test_one_old_order_is_at_risk(self):
        self.assertEqual(self._level(1, days_ago(100), days_ago(100)), "at_risk")

    def test_one_order_exactly_90_days_ago_is_still_new(self):
        self.assertEqual(self._level(1, days_ago(90), days_ago(90)), "new")
        just_over = days_ago(90) - SECOND
        self.assertEqual(self._level(1, just_over, just_over), "at_risk")

    def test_three_orders_every_30_days_is_occasional(self):
        # orders 80, 50 and 20 days ago: interval (80 - 20) / 2 = 30 days;
        # 20 days since the last ≤ max(2 × 30, 30) = 60; fewer than 4 orders
        self.assertEqual(self._level(3, days_ago(80), days_ago(20)), "occasional")

    def test_five_orders_over_200_days_at_their_pace_is_loyal(self):
        # first 200 days ago, last 40 days ago: interval 160 / 4 = 40 days;
        # 40 ≤ max(80, 30); 5 orders ≥ 4 over 200 days ≥ 180
        self.assertEqual(self._level(5, days_ago(200), days_ago(40)), "loyal")

    def test_five_orders_every_10_days_silent_for_35_days_is_at_risk(self):
        # first 75 days ago, last 35 days ago: interval 40 / 4 = 10 days;
        # 35 > max(2 × 10, 30) = 30
        self.assertEqual(self._level(5, days_ago(75), days_ago(35)), "at_risk")

    def test_silence_of_exactly_twice_the_interval_is_not_at_risk(self):
        # interval 25 days, last 50 days ago: 50 > max(50, 30) is false
        self.assertEqual(self._level(2, days_ago(75), days_ago(50)), "occasional")
        last = days_ago(50) - SECOND
        self.assertEqual(self._level(2, last - timedelta(days=25), last), "at_risk")

    def test_silence_of_exactly_30_days_is_not_at_risk(self):
        # interval 10 days (twice: 20 < 30), last 30 days ago
        self.assertEqual(self._level(3, days_ago(50), days_ago(30)), "occasional")
        last = days_ago(30) - SECOND
        self.assertEqual(self._level(3, last - timedelta(days=20), last), "at_risk")

    def test_loyal_from_four_orders_over_exactly_180_days(self):
        # first 180 days ago, last 30 days ago: interval 150 / 3 = 50 days
        self.assertEqual(self._level(4, days_ago(180), days_ago(30)), "loyal")
        # one day short of 180 days
        self.assertEqual(self._level(4, days_ago(179), days_ago(30)), "occasional")

    def test_three_orders_over_a_long_time_are_not_loyal(self):
        # interval (200 - 20) / 2 = 90 days, 20 days since the last
        self.assertEqual(self._level(3, days_ago(200), days_ago(20)), "occasional")


@tagged("post_install", "-at_install")
class TestResPartnerCustomerProfile(CrmOrderCommon):
    """Satisfaction and loyalty stored on customers, over their commercial entity
    and the orders that are not cancelled. Today is 2024-06-01 12:00 (UTC)."""

    def _order(self, partner, days, rating=0, cancel=False):
        """An order of ``partner`` dated ``days`` before today; completed (and
        rated when ``rating``) or cancelled."""
        order = self._create_order(partner=partner, date_order=days_ago(days))
        if cancel:
            self._cancel(order)
        else:
            self._complete(order)
            if rating:
                order.with_user(self.salesman).action_rate(rating)
        return order

    def _profile(self, partner):
        return partner.crm_satisfaction, partner.crm_loyalty

    def test_company_and_contact_share_the_entity_values(self):
        # the contact ordered 60 days ago (rated 4), the company 30 days ago
        # (rated 5): 2 orders, interval 30 days, 30 since the last ≤ 60 →
        # occasional; satisfaction (4 + 5) / 2 = 4.5
        with freeze_time(TODAY):
            self._order(self.customer_contact, 60, rating=4)
            self._order(self.customer_company, 30, rating=5)
            self.env.flush_all()
        self.assertEqual(self._profile(self.customer_company), (4.5, "occasional"))
        self.assertEqual(self._profile(self.customer_contact), (4.5, "occasional"))
        self.assertEqual(self._profile(self.customer), (0.0, False))

    def test_cancelled_orders_are_ignored(self):
        # one order 100 days ago (at risk); the cancelled one 5 days ago does not
        # make the customer new again
        with freeze_time(TODAY):
            self._order(self.customer, 100, rating=3)
            self._order(self.customer, 5, cancel=True)
            self.env.flush_all()
        self.assertEqual(self._profile(self.customer), (3.0, "at_risk"))

    def test_only_cancelled_orders_give_no_loyalty(self):
        with freeze_time(TODAY):
            self._order(self.customer, 5, cancel=True)
            self.env.flush_all()
        self.assertEqual(self._profile(self.customer), (0.0, False))

    def test_satisfaction_is_the_average_of_the_ratings(self):
        # rated 5, 4 and 2, one not rated: (5 + 4 + 2) / 3 = 3.67 (2 decimals)
        with freeze_time(TODAY):
            self._order(self.customer, 40, rating=5)
            self._order(self.customer, 30, rating=4)
            self._order(self.customer, 20, rating=2)
            self._order(self.customer, 10)
            self.env.flush_all()
        self.assertEqual(self.customer.crm_satisfaction, 3.67)

    def test_clearing_a_rating_updates_satisfaction(self):
        with freeze_time(TODAY):
            self._order(self.customer, 40, rating=5)
            order = self._order(self.customer, 30, rating=2)
            self.env.flush_all()
            self.assertEqual(self.customer.crm_satisfaction, 3.5)
            order.with_user(self.salesman).action_rate(0)
            self.env.flush_all()
        self.assertEqual(self.customer.crm_satisfaction, 5.0)

    def test_a_new_order_brings_a_customer_back(self):
        # one order 100 days ago: at risk; a new one today: 2 orders, interval
        # 100 days, 0 since the last → occasional
        with freeze_time(TODAY):
            self._order(self.customer, 100)
            self.env.flush_all()
            self.assertEqual(self.customer.crm_loyalty, "at_risk")
            self._create_order(partner=self.customer, date_order=TODAY)
            self.env.flush_all()
        self.assertEqual(self.customer.crm_loyalty, "occasional")

    def test_search_and_group_by_loyalty(self):
        # company (via its contact): 1 order 10 days ago → new;
        # Ben: 1 order 100 days ago → at risk; a third customer: 4 orders
        # 190, 130, 70 and 10 days ago (interval 60) → loyal
        regular = self.env["res.partner"].create({"name": "Carl Regular"})
        with freeze_time(TODAY):
            self._order(self.customer_contact, 10)
            self._order(self.customer, 100)
            for days in (190, 130, 70, 10):
                self._order(regular, days)
            self.env.flush_all()
        partners = self.customer_company | self.customer_contact
        partners |= self.customer | regular
        Partner = self.env["res.partner"].with_user(self.salesman)
        domain = [("id", "in", partners.ids)]
        self.assertEqual(
            Partner.search(domain + [("crm_loyalty", "=", "new")]),
            self.customer_company | self.customer_contact,
        )
        self.assertEqual(
            Partner.search(domain + [("crm_loyalty", "in", ["loyal", "at_risk"])]),
            self.customer | regular,
        )
        groups = dict(Partner._read_group(domain, ["crm_loyalty"], ["__count"]))
        self.assertEqual(groups, {"new": 2, "at_risk": 1, "loyal": 1})

    def test_cron_updates_customers_whose_last_order_aged(self):
        # an order 80 days before 2024-06-01 → new; 11 days later it is 91 days
        # old → at risk, for the company and its contact; Ben's single order, 20
        # days old then 31 days old, stays new
        with freeze_time(TODAY):
            self._order(self.customer_contact, 80)
            self._order(self.customer, 20)
            self.env.flush_all()
        self.assertEqual(self.customer_company.crm_loyalty, "new")
        self.assertEqual(self.customer_contact.crm_loyalty, "new")
        with freeze_time(TODAY + timedelta(days=11)):
            self.env["res.partner"]._cron_update_crm_loyalty()
            self.env.flush_all()
        self.assertEqual(self.customer_company.crm_loyalty, "at_risk")
        self.assertEqual(self.customer_contact.crm_loyalty, "at_risk")
        self.assertEqual(self.customer.crm_loyalty, "new")

    def test_cron_in_small_batches_updates_every_customer(self):
        with freeze_time(TODAY):
            self._order(self.customer_contact, 80)
            self._order(self.customer, 85)
            self.env.flush_all()
        with freeze_time(TODAY + timedelta(days=11)):
            self.env["res.partner"]._cron_update_crm_loyalty(batch_size=1)
            self.env.flush_all()
        self.assertEqual(self.customer_contact.crm_loyalty, "at_risk")
        self.assertEqual(self.customer.crm_loyalty, "at_risk")
