# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tests.common import BaseCase, new_test_user

from odoo.addons.crm_order_management import uninstall_hook
from odoo.addons.crm_order_management.report import kpi_formulas as kpi
from odoo.addons.crm_order_management.report.crm_order_kpi import RANGE_JOIN_PERIODS

from .common import CrmOrderCommon

# The inputs and results of a snapshot, as stored.
SNAPSHOT_FIELDS = [
    "customer_count",
    "product_count",
    "completed_count",
    "cancelled_count",
    "success_rate",
    "order_count",
    "processor_count",
    "processing_hours",
    "tracker_count",
    "tracking_event_count",
    "tracked_order_count",
    "tracking_avg",
    "rated_count",
    "rating_avg",
    "metric_o",
    "metric_o_reason",
    "metric_t",
    "metric_t_reason",
    "metric_r",
    "metric_r_reason",
    "metric_e",
    "metric_e_reason",
]


@tagged("post_install", "-at_install")
class TestKpiFormulas(BaseCase):
    """The metrics' formulas as pure functions: a value, or None and a reason."""

    def test_success_rate_is_completed_over_final_orders(self):
        self.assertEqual(kpi.success_rate(3, 1), 0.75)
        self.assertEqual(kpi.success_rate(0, 2), 0.0)

    def test_success_rate_without_final_orders_is_undefined(self):
        self.assertIsNone(kpi.success_rate(0, 0))

    def test_average_of_nothing_is_undefined(self):
        self.assertEqual(kpi.average(5, 3), 5 / 3)
        self.assertIsNone(kpi.average(0, 0))

    def test_order_generation_is_c_times_p_times_s(self):
        # 3 × 3 × 0.75
        self.assertEqual(kpi.order_generation(3, 3, 0.75), (6.75, None))

    def test_order_generation_with_zero_success_is_zero_not_undefined(self):
        self.assertEqual(kpi.order_generation(2, 4, 0.0), (0.0, None))

    def test_order_generation_without_final_orders_is_undefined(self):
        self.assertEqual(kpi.order_generation(3, 3, None), (None, kpi.NO_FINAL_ORDERS))

    def test_processing_is_o_over_n_times_tp(self):
        # 5 / 2 × 10.0
        self.assertEqual(kpi.processing(5, 2, 10.0), (25.0, None))

    def test_processing_without_processors_is_undefined(self):
        self.assertEqual(kpi.processing(5, 0, 10.0), (None, kpi.NO_PROCESSORS))

    def test_processing_without_completed_orders_is_undefined(self):
        self.assertEqual(kpi.processing(5, 2, None), (None, kpi.NO_COMPLETED_ORDERS))

    def test_tracking_is_o_over_m_times_rp(self):
        # 6 / 4 × 1.5
        self.assertEqual(kpi.tracking(6, 4, 1.5), (2.25, None))

    def test_tracking_without_trackers_is_undefined(self):
        self.assertEqual(kpi.tracking(6, 0, None), (None, kpi.NO_TRACKERS))
        self.assertEqual(kpi.tracking(6, 0, 1.5), (None, kpi.NO_TRACKERS))
        self.assertEqual(kpi.tracking(6, 2, None), (None, kpi.NO_TRACKERS))

    def test_evaluation_is_r_over_t_times_ep(self):
        # 3.0 / 12.0 × 4.0
        self.assertEqual(kpi.evaluation(3.0, 12.0, 4.0), (1.0, None))

    def test_evaluation_with_r_undefined_is_undefined(self):
        self.assertEqual(kpi.evaluation(None, 12.0, 4.0), (None, kpi.R_UNDEFINED))

    def test_evaluation_with_t_undefined_is_undefined(self):
        self.assertEqual(kpi.evaluation(3.0, None, 4.0), (None, kpi.T_UNDEFINED))

    def test_evaluation_with_t_zero_is_undefined(self):
        self.assertEqual(kpi.evaluation(3.0, 0.0, 4.0), (None, kpi.T_ZERO))

    def test_evaluation_without_ratings_is_undefined(self):
        self.assertEqual(kpi.evaluation(3.0, 12.0, None), (None, kpi.NO_RATINGS))

    def test_week_starts_on_iso_monday(self):
        # 2024-03-10 is a Sunday, 2024-03-11 a Monday
        self.assertEqual(kpi.period_start("week", date(2024, 3, 10)), date(2024, 3, 4))
        self.assertEqual(kpi.period_start("week", date(2024, 3, 11)), date(2024, 3, 11))
        self.assertEqual(kpi.period_end("week", date(2024, 3, 4)), date(2024, 3, 11))

    def test_day_and_month_periods(self):
        self.assertEqual(kpi.period_start("day", date(2024, 2, 29)), date(2024, 2, 29))
        self.assertEqual(kpi.period_end("day", date(2024, 2, 29)), date(2024, 3, 1))
        self.assertEqual(kpi.period_start("month", date(2024, 2, 29)), date(2024, 2, 1))
        self.assertEqual(kpi.period_end("month", date(2024, 2, 1)), date(2024, 3, 1))

    def test_month_end_across_december(self):
        self.assertEqual(kpi.period_end("month", date(2024, 12, 1)), date(2025, 1, 1))
        self.assertEqual(kpi.period_end("month", date(2024, 11, 1)), date(2024, 12, 1))

    def test_unknown_granularity_is_refused(self):
        with self.assertRaises(ValueError):
            kpi.period_start("year", date(2024, 3, 1))
        with self.assertRaises(ValueError):
            kpi.period_end("year", date(2024, 3, 1))

    def test_periods_between_covers_overlapping_periods(self):
        # 2024-02-28 (Wednesday) to 2024-03-12 (Tuesday)
        self.assertEqual(
            kpi.periods_between("week", date(2024, 2, 28), date(2024, 3, 12)),
            [date(2024, 2, 26), date(2024, 3, 4), date(2024, 3, 11)],
        )
        self.assertEqual(
            kpi.periods_between("month", date(2024, 11, 30), date(2025, 1, 1)),
            [date(2024, 11, 1), date(2024, 12, 1), date(2025, 1, 1)],
        )
        self.assertEqual(
            kpi.periods_between("day", date(2024, 2, 28), date(2024, 3, 1)),
            [date(2024, 2, 28), date(2024, 2, 29), date(2024, 3, 1)],
        )
        self.assertEqual(
            kpi.periods_between("day", date(2024, 3, 1), date(2024, 3, 1)),
            [date(2024, 3, 1)],
        )

    def test_current_and_previous_periods(self):
        # 2024-03-01 is a Friday
        self.assertEqual(
            kpi.current_and_previous("day", date(2024, 3, 1)),
            [date(2024, 2, 29), date(2024, 3, 1)],
        )
        self.assertEqual(
            kpi.current_and_previous("week", date(2024, 3, 1)),
            [date(2024, 2, 19), date(2024, 2, 26)],
        )
        self.assertEqual(
            kpi.current_and_previous("month", date(2024, 1, 15)),
            [date(2023, 12, 1), date(2024, 1, 1)],
        )


class CrmOrderKpiScenarioCommon(CrmOrderCommon):
    """March 2024 in a company of its own (no demo data), worked out by hand.

    Users of the company: Ann, Bob, Cid (salespeople) and Dan, who only creates
    an order. Customers: Delta Corp and its contact Dora (one customer), Evan, Fay.
    Products: desk and chair (goods), support (service). Types: N = New customer,
    R = Returning customer. "a→b" is a status change by the user named, at the
    time given (UTC); "created" rows of the history have no previous status.

    O1 Delta  N  2024-03-04 09:00  desk, support   created by Ann
         03-04 10:00 Ann draft→payment (confirmed), 03-05 10:00 Bob →shipment,
         03-06 10:00 Bob →receipt, 03-07 10:00 Ann →completed: Tp 72 h
         rated 5 on 03-08 10:00
    O2 Dora   R  2024-03-11 08:00  chair           created by Cid
         03-11 12:00 Cid →payment, 03-12 12:00 Cid →shipment,
         03-13 12:00 Cid →receipt, 03-15 00:00 Ann →completed: Tp 84 h
         rated 3 on 03-20 10:00
    O3 Evan   N  2024-03-18 10:00  desk            created by Dan
         03-19 10:00 Bob →cancelled
    O4 Fay    N  2024-02-20 10:00  support         created by Ann (February)
         02-26 04:00 Ann →payment, 02-27 10:00 Ann →shipment,
         02-28 10:00 Ann →receipt, 03-01 10:00 Bob →completed:
         Tp = 4 days (26, 27, 28, 29 February: 2024 is a leap year) + 6 h = 102 h
         rated 2 on 04-03 09:00 (April)
    O5 Evan   R  2024-03-25 10:00  support         created by Cid
         03-26 09:00 Cid →payment (still open)
    O6 Fay    N  2024-03-28 10:00  desk            created by Ann
         03-29 10:00 Ann →payment, 03-30 10:00 Ann →shipment,
         03-31 10:00 Ann →receipt, 04-02 10:00 Ann →completed (April)
    O7 Delta  R  2024-02-10 10:00  chair           created by Cid (February)
         02-12 10:00 Cid →cancelled (February)

    Tracking events: E1 O1 Ann 03-05 09:00, E2 O1 Bob 03-06 15:00,
    E3 O1 Ann 03-07 11:00, E4 O2 Ann 03-14 10:00, E5 O4 Bob 03-01 08:00,
    E6 O3 Cid 04-01 09:00 (April), E7 O7 Cid 02-11 10:00 (February).

    In the main company, the same month (must not count): an order of Ben
    Private dated 03-05, completed 03-06 by the salesman, tracked and rated 1.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_k = cls.env["res.company"].create({"name": "KPI Scenario Co"})

        def user(login, name, group="sales_team.group_sale_salesman"):
            return new_test_user(
                cls.env,
                login=login,
                name=name,
                groups=group,
                company_id=cls.company_k.id,
                company_ids=[Command.set(cls.company_k.ids)],
            )

        cls.ann = user("kpi_ann", "Ann")
        cls.bob = user("kpi_bob", "Bob")
        cls.cid = user("kpi_cid", "Cid")
        cls.dan = user("kpi_dan", "Dan")
        cls.kpi_manager = user(
            "kpi_manager", "Kim Manager", "sales_team.group_sale_manager"
        )
        cls.kpi_salesman_all = user(
            "kpi_all", "Al All", "sales_team.group_sale_salesman_all_leads"
        )

        Partner = cls.env["res.partner"]
        cls.delta = Partner.create({"name": "Delta Corp", "is_company": True})
        cls.dora = Partner.create({"name": "Dora Delta", "parent_id": cls.delta.id})
        cls.evan = Partner.create({"name": "Evan Private"})
        cls.fay = Partner.create({"name": "Fay Private"})

        Product = cls.env["product.product"]
        cls.desk = Product.create({"name": "KPI Desk", "type": "consu"})
        cls.chair = Product.create({"name": "KPI Chair", "type": "consu"})
        cls.support = Product.create(
            {"name": "KPI Support", "type": "service", "service_kind": "support"}
        )

        N, R = cls.type_new, cls.type_returning
        cls.o1 = cls._k_order(
            cls.delta, N, "2024-03-04 09:00:00", cls.ann, cls.desk, cls.support
        )
        cls._k_moves(
            cls.o1,
            (cls.status_payment, "2024-03-04 10:00:00", cls.ann),
            (cls.status_shipment, "2024-03-05 10:00:00", cls.bob),
            (cls.status_receipt, "2024-03-06 10:00:00", cls.bob),
            (cls.status_completed, "2024-03-07 10:00:00", cls.ann),
        )
        cls.o2 = cls._k_order(cls.dora, R, "2024-03-11 08:00:00", cls.cid, cls.chair)
        cls._k_moves(
            cls.o2,
            (cls.status_payment, "2024-03-11 12:00:00", cls.cid),
            (cls.status_shipment, "2024-03-12 12:00:00", cls.cid),
            (cls.status_receipt, "2024-03-13 12:00:00", cls.cid),
            (cls.status_completed, "2024-03-15 00:00:00", cls.ann),
        )
        cls.o3 = cls._k_order(cls.evan, N, "2024-03-18 10:00:00", cls.dan, cls.desk)
        cls._k_moves(cls.o3, (cls.status_cancelled, "2024-03-19 10:00:00", cls.bob))
        cls.o4 = cls._k_order(cls.fay, N, "2024-02-20 10:00:00", cls.ann, cls.support)
        cls._k_moves(
            cls.o4,
            (cls.status_payment, "2024-02-26 04:00:00", cls.ann),
            (cls.status_shipment, "2024-02-27 10:00:00", cls.ann),
            (cls.status_receipt, "2024-02-28 10:00:00", cls.ann),
            (cls.status_completed, "2024-03-01 10:00:00", cls.bob),
        )
        cls.o5 = cls._k_order(cls.evan, R, "2024-03-25 10:00:00", cls.cid, cls.support)
        cls._k_moves(cls.o5, (cls.status_payment, "2024-03-26 09:00:00", cls.cid))
        cls.o6 = cls._k_order(cls.fay, N, "2024-03-28 10:00:00", cls.ann, cls.desk)
        cls._k_moves(
            cls.o6,
            (cls.status_payment, "2024-03-29 10:00:00", cls.ann),
            (cls.status_shipment, "2024-03-30 10:00:00", cls.ann),
            (cls.status_receipt, "2024-03-31 10:00:00", cls.ann),
            (cls.status_completed, "2024-04-02 10:00:00", cls.ann),
        )
        cls.o7 = cls._k_order(cls.delta, R, "2024-02-10 10:00:00", cls.cid, cls.chair)
        cls._k_moves(cls.o7, (cls.status_cancelled, "2024-02-12 10:00:00", cls.cid))

        cls.env["crm.order.tracking"].with_context(crm_order_import=True).create(
            [
                cls._event(cls.o1, cls.ann, "2024-03-05 09:00:00", "call"),
                cls._event(cls.o1, cls.bob, "2024-03-06 15:00:00", "email"),
                cls._event(cls.o1, cls.ann, "2024-03-07 11:00:00", "delivery_check"),
                cls._event(cls.o2, cls.ann, "2024-03-14 10:00:00", "call"),
                cls._event(cls.o4, cls.bob, "2024-03-01 08:00:00", "call"),
                cls._event(cls.o3, cls.cid, "2024-04-01 09:00:00", "call"),
                cls._event(cls.o7, cls.cid, "2024-02-11 10:00:00", "email"),
            ]
        )
        cls.o1.with_context(crm_order_import=True).write(
            {"rating": 5, "rating_date": "2024-03-08 10:00:00"}
        )
        cls.o2.with_context(crm_order_import=True).write(
            {"rating": 3, "rating_date": "2024-03-20 10:00:00"}
        )
        cls.o4.with_context(crm_order_import=True).write(
            {"rating": 2, "rating_date": "2024-04-03 09:00:00"}
        )

        # The main company, same month: must not count in KPI Scenario Co.
        other = (
            cls.env["crm.order"]
            .with_context(crm_order_import=True)
            .create(
                {
                    "partner_id": cls.customer.id,
                    "user_id": cls.salesman.id,
                    "order_type_id": N.id,
                    "date_order": "2024-03-05 10:00:00",
                    "date_status": "2024-03-05 10:00:00",
                    "line_ids": [cls._line(product=cls.service)],
                }
            )
        )
        for status, when in (
            (cls.status_payment, "2024-03-05 11:00:00"),
            (cls.status_shipment, "2024-03-05 12:00:00"),
            (cls.status_receipt, "2024-03-05 13:00:00"),
            (cls.status_completed, "2024-03-06 10:00:00"),
        ):
            other.with_context(crm_order_import=True).write(
                {"status_id": status.id, "date_status": when}
            )
        cls.env["crm.order.tracking"].with_context(crm_order_import=True).create(
            cls._event(other, cls.salesman, "2024-03-06 11:00:00", "call")
        )
        other.with_context(crm_order_import=True).write(
            {"rating": 1, "rating_date": "2024-03-07 10:00:00"}
        )

    # ------------------------------------------------------------
    # HELPERS
    # ------------------------------------------------------------

    @classmethod
    def _k_order(cls, partner, order_type, when, creator, *products):
        """An order of KPI Scenario Co dated ``when``, created at that time by
        ``creator`` (its salesperson), one line per product."""
        return (
            cls.env["crm.order"]
            .with_context(crm_order_import=creator.id, tracking_disable=True)
            .create(
                {
                    "partner_id": partner.id,
                    "company_id": cls.company_k.id,
                    "user_id": creator.id,
                    "order_type_id": order_type.id,
                    "date_order": when,
                    "date_status": when,
                    "line_ids": [cls._line(product=product) for product in products],
                }
            )
            .with_env(cls.env)
        )

    @classmethod
    def _k_moves(cls, order, *moves):
        """Backdated status changes ``(status, when, user)``, as historical
        imports do (superuser only)."""
        for status, when, user in moves:
            order.with_context(crm_order_import=user.id, tracking_disable=True).write(
                {"status_id": status.id, "date_status": when}
            )

    @staticmethod
    def _event(order, user, when, kind):
        return {"order_id": order.id, "user_id": user.id, "date": when, "kind": kind}

    def _recompute_march(self):
        return (
            self.env["crm.order.kpi"]
            .with_user(self.kpi_manager)
            .recompute_range("2024-03-01", "2024-03-31")
        )

    def _snapshot(self, granularity, start, order_type=None):
        snapshot = self.env["crm.order.kpi"].search(
            [
                ("company_id", "=", self.company_k.id),
                ("granularity", "=", granularity),
                ("date_start", "=", start),
                ("order_type_id", "=", order_type.id if order_type else False),
            ]
        )
        self.assertEqual(len(snapshot), 1)
        return snapshot

    def _assert_snapshot(self, snapshot, expected):
        """``expected`` maps every field of SNAPSHOT_FIELDS to its value; False
        for an undefined figure (which must not be 0.0)."""
        self.assertEqual(sorted(expected), sorted(SNAPSHOT_FIELDS))
        for name, value in expected.items():
            actual = snapshot[name]
            with self.subTest(field=name):
                if value is False:
                    self.assertIs(actual, False)
                elif isinstance(value, float):
                    self.assertIsNot(actual, False)
                    self.assertAlmostEqual(actual, value, places=6)
                else:
                    self.assertEqual(actual, value)

    def _k_snapshots(self):
        return self.env["crm.order.kpi"].search(
            [("company_id", "=", self.company_k.id)], order="id"
        )

    def _types_of_company_k(self):
        return self.env["crm.order.type"].search(
            [("company_id", "in", [self.company_k.id, False])]
        )


@tagged("post_install", "-at_install")
class TestCrmOrderKpiScenario(CrmOrderKpiScenarioCommon):
    """The figures of the scenario (CrmOrderKpiScenarioCommon), and the engine."""

    # ------------------------------------------------------------
    # THE MONTH
    # ------------------------------------------------------------

    def test_month_all_types(self):
        # Orders dated in March: O1, O2, O3, O5, O6 → O actual 5.
        # C: Delta (O1, O2 by its contact Dora), Evan (O3, O5), Fay (O6) → 3.
        # P: desk, support (O1), chair (O2), desk (O3), support (O5), desk (O6) → 3.
        # Final in March: completed O1 (03-07), O2 (03-15), O4 (03-01) → 3;
        # cancelled O3 (03-19) → 1; S = 3 / 4 = 0.75. O = 3 × 3 × 0.75 = 6.75.
        # N: Ann (O1, O2, O6), Bob (O1, O3, O4), Cid (O2, O5) → 3; Dan only
        # created O3 (no previous status): not counted.
        # Tp = (72 + 84 + 102) / 3 = 86 h. T = 5 / 3 × 86 = 430 / 3.
        # Events in March: E1..E5 → 5, on O1, O2, O4 → 3 orders, Rp = 5 / 3;
        # M: Ann, Bob → 2 (Cid's events are in February and April).
        # R = 5 / 2 × 5 / 3 = 25 / 6.
        # Rated in March: O1 (5), O2 (3) → Ep 4.0 (O4 was rated in April).
        # E = (25 / 6) / (430 / 3) × 4 = 5 / 43.
        self._recompute_march()
        self._assert_snapshot(
            self._snapshot("month", "2024-03-01"),
            {
                "customer_count": 3,
                "product_count": 3,
                "completed_count": 3,
                "cancelled_count": 1,
                "success_rate": 0.75,
                "order_count": 5,
                "processor_count": 3,
                "processing_hours": 86.0,
                "tracker_count": 2,
                "tracking_event_count": 5,
                "tracked_order_count": 3,
                "tracking_avg": 5 / 3,
                "rated_count": 2,
                "rating_avg": 4.0,
                "metric_o": 6.75,
                "metric_o_reason": False,
                "metric_t": 430 / 3,
                "metric_t_reason": False,
                "metric_r": 25 / 6,
                "metric_r_reason": False,
                "metric_e": 5 / 43,
                "metric_e_reason": False,
            },
        )

    def test_month_new_customer_type(self):
        # New customer orders: O1, O3, O4, O6.
        # Dated in March: O1, O3, O6 → O actual 3; C: Delta, Evan, Fay → 3;
        # P: desk, support (O1), desk (O3), desk (O6) → 2.
        # Completed O1, O4 → 2; cancelled O3 → 1; S = 2 / 3; O = 3 × 2 × 2/3 = 4.
        # N: Ann (O1, O6), Bob (O1, O3, O4) → 2. Tp = (72 + 102) / 2 = 87 h.
        # T = 3 / 2 × 87 = 130.5.
        # Events: E1, E2, E3 (O1), E5 (O4) → 4 on 2 orders, Rp = 2; M: Ann, Bob → 2.
        # R = 3 / 2 × 2 = 3. Ep: O1 → 5. E = 3 / 130.5 × 5 = 10 / 87.
        self._recompute_march()
        self._assert_snapshot(
            self._snapshot("month", "2024-03-01", self.type_new),
            {
                "customer_count": 3,
                "product_count": 2,
                "completed_count": 2,
                "cancelled_count": 1,
                "success_rate": 2 / 3,
                "order_count": 3,
                "processor_count": 2,
                "processing_hours": 87.0,
                "tracker_count": 2,
                "tracking_event_count": 4,
                "tracked_order_count": 2,
                "tracking_avg": 2.0,
                "rated_count": 1,
                "rating_avg": 5.0,
                "metric_o": 4.0,
                "metric_o_reason": False,
                "metric_t": 130.5,
                "metric_t_reason": False,
                "metric_r": 3.0,
                "metric_r_reason": False,
                "metric_e": 10 / 87,
                "metric_e_reason": False,
            },
        )

    def test_month_returning_customer_type(self):
        # Returning customer orders: O2, O5, O7 (February).
        # Dated in March: O2 (Delta), O5 (Evan) → O actual 2, C 2, P: chair,
        # support → 2. Completed O2 → 1, cancelled 0 → S 1; O = 2 × 2 × 1 = 4.
        # N: Cid (O2, O5), Ann (O2) → 2; Tp 84 h; T = 2 / 2 × 84 = 84.
        # Events: E4 (O2, Ann) → 1 on 1 order, Rp 1, M 1; R = 2 / 1 × 1 = 2.
        # Ep: O2 → 3. E = 2 / 84 × 3 = 1 / 14.
        self._recompute_march()
        self._assert_snapshot(
            self._snapshot("month", "2024-03-01", self.type_returning),
            {
                "customer_count": 2,
                "product_count": 2,
                "completed_count": 1,
                "cancelled_count": 0,
                "success_rate": 1.0,
                "order_count": 2,
                "processor_count": 2,
                "processing_hours": 84.0,
                "tracker_count": 1,
                "tracking_event_count": 1,
                "tracked_order_count": 1,
                "tracking_avg": 1.0,
                "rated_count": 1,
                "rating_avg": 3.0,
                "metric_o": 4.0,
                "metric_o_reason": False,
                "metric_t": 84.0,
                "metric_t_reason": False,
                "metric_r": 2.0,
                "metric_r_reason": False,
                "metric_e": 1 / 14,
                "metric_e_reason": False,
            },
        )

    def test_type_without_orders_is_undefined_with_reasons(self):
        # No recurring order at all: every divisor is zero. Each metric is empty
        # (False, not 0.0) with the first reason that makes it undefined.
        self._recompute_march()
        self._assert_snapshot(
            self._snapshot("month", "2024-03-01", self.type_recurring),
            {
                "customer_count": 0,
                "product_count": 0,
                "completed_count": 0,
                "cancelled_count": 0,
                "success_rate": False,
                "order_count": 0,
                "processor_count": 0,
                "processing_hours": False,
                "tracker_count": 0,
                "tracking_event_count": 0,
                "tracked_order_count": 0,
                "tracking_avg": False,
                "rated_count": 0,
                "rating_avg": False,
                "metric_o": False,
                "metric_o_reason": kpi.NO_FINAL_ORDERS,
                "metric_t": False,
                "metric_t_reason": kpi.NO_PROCESSORS,
                "metric_r": False,
                "metric_r_reason": kpi.NO_TRACKERS,
                "metric_e": False,
                "metric_e_reason": kpi.R_UNDEFINED,
            },
        )

    def test_week_all_types(self):
        # ISO week Monday 2024-03-04 to Sunday 03-10.
        # Dated: O1 → O actual 1, C 1, P 2 (desk, support).
        # O1 completed 03-07 → S = 1 / 1; O = 1 × 2 × 1 = 2.
        # N: Ann, Bob → 2; Tp 72 h; T = 1 / 2 × 72 = 36.
        # Events E1, E2, E3 on O1 → Rp 3; M: Ann, Bob → 2; R = 1 / 2 × 3 = 1.5.
        # O1 rated 5 on 03-08 → Ep 5; E = 1.5 / 36 × 5 = 5 / 24.
        self._recompute_march()
        self._assert_snapshot(
            self._snapshot("week", "2024-03-04"),
            {
                "customer_count": 1,
                "product_count": 2,
                "completed_count": 1,
                "cancelled_count": 0,
                "success_rate": 1.0,
                "order_count": 1,
                "processor_count": 2,
                "processing_hours": 72.0,
                "tracker_count": 2,
                "tracking_event_count": 3,
                "tracked_order_count": 1,
                "tracking_avg": 3.0,
                "rated_count": 1,
                "rating_avg": 5.0,
                "metric_o": 2.0,
                "metric_o_reason": False,
                "metric_t": 36.0,
                "metric_t_reason": False,
                "metric_r": 1.5,
                "metric_r_reason": False,
                "metric_e": 5 / 24,
                "metric_e_reason": False,
            },
        )

    def test_day_with_only_a_cancellation(self):
        # 2024-03-19: no order dated; O3 cancelled by Bob.
        # S = 0 / 1 = 0 → O = 0 × 0 × 0 = 0.0: defined, not empty.
        # N: Bob → 1, but no order completed: Tp and T undefined.
        # No event: R undefined, so E undefined. No rating.
        self._recompute_march()
        self._assert_snapshot(
            self._snapshot("day", "2024-03-19"),
            {
                "customer_count": 0,
                "product_count": 0,
                "completed_count": 0,
                "cancelled_count": 1,
                "success_rate": 0.0,
                "order_count": 0,
                "processor_count": 1,
                "processing_hours": False,
                "tracker_count": 0,
                "tracking_event_count": 0,
                "tracked_order_count": 0,
                "tracking_avg": False,
                "rated_count": 0,
                "rating_avg": False,
                "metric_o": 0.0,
                "metric_o_reason": False,
                "metric_t": False,
                "metric_t_reason": kpi.NO_COMPLETED_ORDERS,
                "metric_r": False,
                "metric_r_reason": kpi.NO_TRACKERS,
                "metric_e": False,
                "metric_e_reason": kpi.R_UNDEFINED,
            },
        )

    def test_day_with_zero_t_leaves_e_undefined(self):
        # 2024-03-01: no order dated (O actual 0); O4 completed by Bob (Tp 102 h)
        # → S 1, O = 0 × 0 × 1 = 0; N 1; T = 0 / 1 × 102 = 0.
        # E5 by Bob on O4 → M 1, Rp 1, R = 0 / 1 × 1 = 0. E = R / T: T is zero.
        self._recompute_march()
        self._assert_snapshot(
            self._snapshot("day", "2024-03-01"),
            {
                "customer_count": 0,
                "product_count": 0,
                "completed_count": 1,
                "cancelled_count": 0,
                "success_rate": 1.0,
                "order_count": 0,
                "processor_count": 1,
                "processing_hours": 102.0,
                "tracker_count": 1,
                "tracking_event_count": 1,
                "tracked_order_count": 1,
                "tracking_avg": 1.0,
                "rated_count": 0,
                "rating_avg": False,
                "metric_o": 0.0,
                "metric_o_reason": False,
                "metric_t": 0.0,
                "metric_t_reason": False,
                "metric_r": 0.0,
                "metric_r_reason": False,
                "metric_e": False,
                "metric_e_reason": kpi.T_ZERO,
            },
        )

    # ------------------------------------------------------------
    # THE ENGINE
    # ------------------------------------------------------------

    def test_recompute_range_writes_every_period_and_type(self):
        # 31 days, 5 weeks (starting 02-26, 03-04, 03-11, 03-18, 03-25), 1 month:
        # 37 periods, each for all types and for each type of the company.
        written = self._recompute_march()
        types = self._types_of_company_k()
        snapshots = self._k_snapshots()
        self.assertEqual(len(snapshots), 37 * (1 + len(types)))
        self.assertEqual(set(snapshots.order_type_id), set(types))
        weeks = snapshots.filtered(lambda s: s.granularity == "week")
        self.assertEqual(
            sorted(set(weeks.mapped("date_start"))),
            [
                date(2024, 2, 26),
                date(2024, 3, 4),
                date(2024, 3, 11),
                date(2024, 3, 18),
                date(2024, 3, 25),
            ],
        )
        last_week = self._snapshot("week", "2024-03-25")
        self.assertEqual(last_week.date_end, date(2024, 3, 31))
        month = self._snapshot("month", "2024-03-01")
        self.assertEqual(month.date_end, date(2024, 3, 31))
        companies = self.env["res.company"].search([])
        all_types = self.env["crm.order.type"].search([])
        keys = sum(
            1 + len(all_types.filtered(lambda t, c=c: t.company_id in (c, c.browse())))
            for c in companies
        )
        self.assertEqual(written, 37 * keys)

    def test_second_run_changes_nothing(self):
        self._recompute_march()
        first = self._k_snapshots()
        values = first.read(SNAPSHOT_FIELDS)
        self._recompute_march()
        second = self._k_snapshots()
        self.assertEqual(second.ids, first.ids)
        self.assertEqual(second.read(SNAPSHOT_FIELDS), values)

    def test_few_periods_and_a_batch_measure_alike(self):
        # Up to RANGE_JOIN_PERIODS periods are joined by range (the daily run),
        # more by key (a recomputation): both give the same snapshots.
        Kpi = self.env["crm.order.kpi"]
        # Day 03-25: O5 dated, nothing completed. Week 03-25: O5 and O6 dated,
        # nothing completed (O6 on 04-02). March: O1, O2, O3, O5, O6 dated; O4
        # (03-01), O1 (03-07) and O2 (03-15) completed.
        few = [("day", date(2024, 3, 25)), ("week", date(2024, 3, 25))]
        few.append(("month", date(2024, 3, 1)))
        self.assertLessEqual(len(few), RANGE_JOIN_PERIODS)
        Kpi._compute_snapshots(few)
        snapshots = Kpi.browse(
            self._snapshot(granularity, str(start)).id for granularity, start in few
        )
        by_range = snapshots.read(SNAPSHOT_FIELDS)
        self.assertEqual(
            [(s["order_count"], s["completed_count"]) for s in by_range],
            [(1, 0), (2, 0), (5, 3)],
        )
        self.assertGreater(self._recompute_march(), RANGE_JOIN_PERIODS)
        snapshots.invalidate_recordset()
        self.assertEqual(snapshots.read(SNAPSHOT_FIELDS), by_range)

    def test_run_after_a_change_updates_the_snapshot_in_place(self):
        # O5 completed on 03-27 10:00 by Cid: Tp = 03-26 09:00 → 03-27 10:00 = 25 h.
        # Completed 4, cancelled 1 → S 0.8, O = 3 × 3 × 0.8 = 7.2;
        # Tp = (72 + 84 + 102 + 25) / 4 = 70.75, T = 5 / 3 × 70.75.
        self._recompute_march()
        month = self._snapshot("month", "2024-03-01")
        self._k_moves(
            self.o5,
            (self.status_shipment, "2024-03-26 20:00:00", self.cid),
            (self.status_receipt, "2024-03-27 08:00:00", self.cid),
            (self.status_completed, "2024-03-27 10:00:00", self.cid),
        )
        self._recompute_march()
        self.assertEqual(self._snapshot("month", "2024-03-01"), month)
        self.assertEqual(month.completed_count, 4)
        self.assertAlmostEqual(month.success_rate, 0.8, places=6)
        self.assertAlmostEqual(month.metric_o, 7.2, places=6)
        self.assertAlmostEqual(month.processing_hours, 70.75, places=6)
        self.assertAlmostEqual(month.metric_t, 5 / 3 * 70.75, places=6)

    def test_recompute_range_refused_to_non_managers(self):
        Kpi = self.env["crm.order.kpi"]
        for user in (self.ann, self.kpi_salesman_all):
            with self.assertRaises(AccessError):
                Kpi.with_user(user).recompute_range("2024-03-01", "2024-03-31")
        self.assertFalse(self._k_snapshots())

    def test_snapshots_readable_by_all_documents_users_only(self):
        self._recompute_march()
        snapshot = self._snapshot("month", "2024-03-01")
        self.assertEqual(snapshot.with_user(self.kpi_salesman_all).order_count, 5)
        self.assertEqual(snapshot.with_user(self.kpi_manager).order_count, 5)
        with self.assertRaises(AccessError):
            snapshot.with_user(self.ann).read(["order_count"])

    def test_snapshots_cannot_be_edited_or_deleted_by_managers(self):
        self._recompute_march()
        snapshot = self._snapshot("month", "2024-03-01").with_user(self.kpi_manager)
        with self.assertRaises(AccessError):
            snapshot.write({"order_count": 99})
        with self.assertRaises(AccessError):
            snapshot.unlink()
        self.assertEqual(snapshot.order_count, 5)

    def _tamper(self, granularity, start):
        """Put 99 orders in the all-types snapshot of a period, by SQL: a period
        that the daily run recomputes gets its true figure back."""
        snapshot = self._snapshot(granularity, start)
        self.env.cr.execute(
            "UPDATE crm_order_kpi SET order_count = 99 WHERE id = %s", [snapshot.id]
        )
        snapshot.invalidate_recordset()

    def _changed_days(self):
        self.env.flush_all()
        self.env.cr.execute("SELECT DISTINCT day FROM crm_order_kpi_change ORDER BY 1")
        return [day for (day,) in self.env.cr.fetchall()]

    def _note_changes_at(self, when):
        """The changes were noted at ``when``: the triggers take PostgreSQL's
        clock, which the tests do not freeze."""
        self.env.flush_all()
        self.env.cr.execute("UPDATE crm_order_kpi_change SET changed_at = %s", [when])

    def test_cron_skips_settled_previous_periods(self):
        Kpi = self.env["crm.order.kpi"]
        # Creating the scenario noted its days (all before today, 2026 or later),
        # each once; say it was in January 2024.
        self.env.cr.execute(
            "SELECT count(*) FROM crm_order_kpi_change WHERE day = '2024-02-10'"
        )
        self.assertEqual(self.env.cr.fetchone()[0], 1)
        self._note_changes_at("2024-01-31 10:00:00")
        with freeze_time("2024-03-13 12:00:00"):
            Kpi._cron_compute_snapshots()
        # The days before the previous month, 02-01, are forgotten.
        self.assertEqual(self._changed_days()[0], date(2024, 2, 10))
        for period in (
            ("month", "2024-02-01"),
            ("week", "2024-03-04"),
            ("day", "2024-03-13"),
        ):
            self._tamper(*period)
        # Thursday 03-14: February (ended 03-01) and the week of 03-04 (ended
        # 03-11) were computed on 03-13, a day or more after their end and
        # after the changes to their days: settled, left as they are. The
        # previous day, 03-13, is computed again (computed on the day itself).
        with freeze_time("2024-03-14 12:00:00"):
            Kpi._cron_compute_snapshots()
        self.assertEqual(self._snapshot("month", "2024-02-01").order_count, 99)
        self.assertEqual(self._snapshot("week", "2024-03-04").order_count, 99)
        self.assertEqual(self._snapshot("day", "2024-03-13").order_count, 0)
        # A follow-up logged on O7 and dated 02-15 changes February: its day is
        # noted, at 03-14 13:00 say, and the next run computes February again.
        self.env.cr.execute("DELETE FROM crm_order_kpi_change")
        self.env["crm.order.tracking"].with_context(crm_order_import=True).create(
            self._event(self.o7, self.cid, "2024-02-15 10:00:00", "call")
        )
        self.assertEqual(self._changed_days(), [date(2024, 2, 15)])
        self._note_changes_at("2024-03-14 13:00:00")
        with freeze_time("2024-03-14 14:00:00"):
            Kpi._cron_compute_snapshots()
        february = self._snapshot("month", "2024-02-01")
        # O4 and O7 dated in February; E7 (02-11) and the new event on O7
        self.assertEqual(february.order_count, 2)
        self.assertEqual(february.tracking_event_count, 2)
        self.assertEqual(february.tracked_order_count, 1)
        self.assertEqual(self._snapshot("week", "2024-03-04").order_count, 99)
        # Computed less than a day after the change, February is computed again
        # on 03-15 (a transaction begun before 03-14 13:00 may have committed
        # after that run), and no more on 03-16.
        self._tamper("month", "2024-02-01")
        with freeze_time("2024-03-15 14:00:00"):
            Kpi._cron_compute_snapshots()
        self.assertEqual(self._snapshot("month", "2024-02-01").order_count, 2)
        self._tamper("month", "2024-02-01")
        with freeze_time("2024-03-16 14:00:00"):
            Kpi._cron_compute_snapshots()
        self.assertEqual(self._snapshot("month", "2024-02-01").order_count, 99)

    def test_cron_recomputes_a_period_until_a_day_after_its_end(self):
        Kpi = self.env["crm.order.kpi"]
        self._note_changes_at("2024-01-31 10:00:00")
        # Friday 2024-03-01: February just ended, computed the same day.
        with freeze_time("2024-03-01 00:30:00"):
            Kpi._cron_compute_snapshots()
        self._tamper("month", "2024-02-01")
        # On 03-02 February is still computed: a transaction begun on 02-29
        # may have committed after the run of 03-01.
        with freeze_time("2024-03-02 00:30:00"):
            Kpi._cron_compute_snapshots()
        self.assertEqual(self._snapshot("month", "2024-02-01").order_count, 2)
        self._tamper("month", "2024-02-01")
        with freeze_time("2024-03-03 00:30:00"):
            Kpi._cron_compute_snapshots()
        self.assertEqual(self._snapshot("month", "2024-02-01").order_count, 99)

    def test_cron_recomputes_a_settled_period_missing_a_type(self):
        Kpi = self.env["crm.order.kpi"]
        self._note_changes_at("2024-01-31 10:00:00")
        with freeze_time("2024-03-13 12:00:00"):
            Kpi._cron_compute_snapshots()
        self._tamper("month", "2024-02-01")
        # A type created since has no snapshot of February yet.
        self.env["crm.order.type"].create(
            {"name": "Wholesale", "company_id": self.company_k.id}
        )
        with freeze_time("2024-03-14 12:00:00"):
            Kpi._cron_compute_snapshots()
        self.assertEqual(self._snapshot("month", "2024-02-01").order_count, 2)

    def test_changes_noted_whoever_writes_them(self):
        # Every path that changes a metric input dated before today notes the
        # days, old and new; a write of something else notes nothing.
        self.env.cr.execute("DELETE FROM crm_order_kpi_change")
        self.o4.note = "Call before delivery"
        self.assertEqual(self._changed_days(), [])
        # a line's product, by SQL as another module might: the day of its
        # order (O4, 02-20)
        self.env.cr.execute(
            "UPDATE crm_order_line SET product_id = %s WHERE order_id = %s",
            [self.desk.id, self.o4.id],
        )
        self.assertEqual(self._changed_days(), [date(2024, 2, 20)])
        self.env.cr.execute("DELETE FROM crm_order_kpi_change")
        # an order moved to another date
        self.env.cr.execute(
            "UPDATE crm_order SET date_order = '2024-01-05 10:00:00' WHERE id = %s",
            [self.o7.id],
        )
        self.assertEqual(self._changed_days(), [date(2024, 1, 5), date(2024, 2, 10)])
        self.env.cr.execute("DELETE FROM crm_order_kpi_change")
        # the order's type, which its history carries (recomputed by the ORM)
        self.env.cr.execute(
            "UPDATE crm_order_status_history SET order_type_id = %s "
            "WHERE order_id = %s",
            [self.type_new.id, self.o7.id],
        )
        self.assertEqual(self._changed_days(), [date(2024, 2, 10), date(2024, 2, 12)])
        self.env.cr.execute("DELETE FROM crm_order_kpi_change")
        # an order deleted with its lines, history and follow-ups
        self.env.cr.execute("DELETE FROM crm_order WHERE id = %s", [self.o7.id])
        self.assertEqual(
            self._changed_days(),
            [date(2024, 1, 5), date(2024, 2, 10), date(2024, 2, 11), date(2024, 2, 12)],
        )

    def _recent_days(self):
        """From the first day of the previous month to yesterday (UTC, by
        PostgreSQL's clock, which the tests do not freeze)."""
        self.env.cr.execute("SELECT (now() AT TIME ZONE 'UTC')::date")
        today = self.env.cr.fetchone()[0]
        day = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
        days = []
        while day < today:
            days.append(day)
            day += timedelta(days=1)
        return days

    def test_changes_noted_for_ratings_customers_lines_and_upgrades(self):
        cr = self.env.cr
        cr.execute("DELETE FROM crm_order_kpi_change")
        # O1 (dated 03-04) rated again today: the day of its former rating,
        # 03-08, loses a rating; no day of its order date changes.
        cr.execute(
            "UPDATE crm_order SET rating = 4, rating_date = now() WHERE id = %s",
            [self.o1.id],
        )
        self.assertEqual(self._changed_days(), [date(2024, 3, 8)])
        cr.execute("DELETE FROM crm_order_kpi_change")
        # O3 (dated 03-18) rated for the first time today: nothing past changes.
        cr.execute(
            "UPDATE crm_order SET rating = 3, rating_date = now() WHERE id = %s",
            [self.o3.id],
        )
        self.assertEqual(self._changed_days(), [])
        # Dora leaves Delta Corp: O2 (03-11) now counts for another customer.
        self.dora.parent_id = False
        self.assertEqual(self.o2.commercial_partner_id, self.dora)
        self.assertEqual(self._changed_days(), [date(2024, 3, 11)])
        cr.execute("DELETE FROM crm_order_kpi_change")
        # A line added through the ORM to O5 (03-25), then its product changed.
        self.o5.write({"line_ids": [Command.create({"product_id": self.desk.id})]})
        self.assertEqual(self._changed_days(), [date(2024, 3, 25)])
        cr.execute("DELETE FROM crm_order_kpi_change")
        self.o5.line_ids[-1:].product_id = self.chair
        self.assertEqual(self._changed_days(), [date(2024, 3, 25)])
        cr.execute("DELETE FROM crm_order_kpi_change")
        # A status's category changed by SQL (the ORM refuses it once used), or
        # the addon installed or upgraded: every day the daily run looks at.
        cr.execute(
            "UPDATE crm_order_status SET category = 'open' WHERE id = %s",
            [self.status_cancelled.id],
        )
        self.assertEqual(self._changed_days(), self._recent_days())
        cr.execute("DELETE FROM crm_order_kpi_change")
        self.env["crm.order.kpi"].init()
        self.assertEqual(self._changed_days(), self._recent_days())

    def _change_objects(self):
        self.env.cr.execute(
            """SELECT tgname FROM pg_trigger WHERE tgname LIKE %s
                UNION ALL SELECT proname FROM pg_proc WHERE proname LIKE %s
                UNION ALL SELECT relname FROM pg_class WHERE relname = %s
                ORDER BY 1""",
            ["%_kpi_%", "%_kpi_mark%", "crm_order_kpi_change"],
        )
        return [name for (name,) in self.env.cr.fetchall()]

    def test_change_triggers_dropped_on_uninstall(self):
        names = [
            "crm_order_kpi_change",
            # changes and deletions of orders (date, rating), status changes and
            # follow-ups: by row
            "crm_order_date_kpi_update",
            "crm_order_date_kpi_delete",
            "crm_order_date_kpi_mark_change",
            "crm_order_rating_kpi_update",
            "crm_order_rating_kpi_delete",
            "crm_order_rating_kpi_mark_change",
            "crm_order_status_history_kpi_update",
            "crm_order_status_history_kpi_delete",
            "crm_order_status_history_kpi_mark_change",
            "crm_order_tracking_kpi_update",
            "crm_order_tracking_kpi_delete",
            "crm_order_tracking_kpi_mark_change",
            # their insertions: by statement
            "crm_order_kpi_insert",
            "crm_order_kpi_mark_insert",
            "crm_order_status_history_kpi_insert",
            "crm_order_status_history_kpi_mark_insert",
            "crm_order_tracking_kpi_insert",
            "crm_order_tracking_kpi_mark_insert",
            # lines: by statement
            "crm_order_line_kpi_insert",
            "crm_order_line_kpi_update",
            "crm_order_line_kpi_delete",
            "crm_order_line_kpi_mark",
            # a status's category
            "crm_order_status_kpi_update",
            "crm_order_status_kpi_mark",
        ]
        self.assertEqual(self._change_objects(), sorted(names))
        uninstall_hook(self.env)
        self.assertEqual(self._change_objects(), [])
        # an upgrade installs them again
        self.env["crm.order.kpi"].init()
        self.assertEqual(self._change_objects(), sorted(names))

    def test_cron_computes_current_and_previous_periods(self):
        # Today Wednesday 2024-03-13: days 03-12 and 03-13, weeks 03-04 and 03-11,
        # months February and March: 6 periods × (all types + each type).
        with freeze_time("2024-03-13 12:00:00"):
            self.env["crm.order.kpi"]._cron_compute_snapshots()
        types = self._types_of_company_k()
        snapshots = self._k_snapshots()
        self.assertEqual(len(snapshots), 6 * (1 + len(types)))
        self.assertEqual(
            {(s.granularity, s.date_start) for s in snapshots},
            {
                ("day", date(2024, 3, 12)),
                ("day", date(2024, 3, 13)),
                ("week", date(2024, 3, 4)),
                ("week", date(2024, 3, 11)),
                ("month", date(2024, 2, 1)),
                ("month", date(2024, 3, 1)),
            },
        )
        # Day 03-12: O2 moved by Cid → N 1; nothing else.
        day = self._snapshot("day", "2024-03-12")
        self.assertEqual(day.processor_count, 1)
        self.assertEqual(day.order_count, 0)
        # February: O4 and O7 dated (Fay, Delta; support, chair), O7 cancelled
        # → S 0, O = 2 × 2 × 0 = 0.0
        february = self._snapshot("month", "2024-02-01")
        self.assertEqual(february.order_count, 2)
        self.assertEqual(february.customer_count, 2)
        self.assertEqual(february.product_count, 2)
        self.assertEqual(february.cancelled_count, 1)
        self.assertIsNot(february.metric_o, False)
        self.assertEqual(february.metric_o, 0.0)
