# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, datetime

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import ValidationError
from odoo.tools import mute_logger

from .common import CrmOrderCommon


class TestCrmOrderRecurrence(CrmOrderCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A type of its own: its numbers (SUB/<year>/00001...) are known exactly.
        cls.type_sub = cls.env["crm.order.type"].create(
            {
                "name": "Subscription",
                "code": "SUB",
                "sequence_prefix": "SUB/%(year)s/",
                "is_recurring": True,
            }
        )

    def _template(self, next_date, unit="month", interval=1, **vals):
        """A recurring order (SUB/2024/...) dated 2024-01-02 10:00, of a desk
        line (2 × 10.0, 5 %) and a service line (3 × 50.0)."""
        vals.setdefault("order_type_id", self.type_sub.id)
        return self._create_order(
            lines=[],
            date_order="2024-01-02 10:00:00",
            recurrence_next_date=next_date,
            recurrence_unit=unit,
            recurrence_interval=interval,
            line_ids=[
                self._line(2.0, 10.0, 5.0),
                self._line(3.0, 50.0, 0.0, product=self.service),
            ],
            **vals,
        )

    def _next_names(self, template, count):
        """The ``count`` numbers after the template's (sequences are not rolled
        back between tests)."""
        first = int(template.name.rsplit("/", 1)[1])
        return ["SUB/2024/%05d" % (first + i) for i in range(1, count + 1)]

    def _run(self, today, **kwargs):
        with freeze_time(today):
            return self.env["crm.order"]._cron_generate_recurring_orders(**kwargs)

    def _generated(self, template):
        return template.generated_order_ids.sorted("recurrence_occurrence_date")

    # ------------------------------------------------------------
    # GENERATION
    # ------------------------------------------------------------

    def test_nothing_is_generated_before_the_next_date(self):
        template = self._template("2024-03-15")
        self.assertEqual(self._run("2024-03-14"), 0)
        self.assertFalse(template.generated_order_ids)
        self.assertEqual(template.recurrence_next_date, date(2024, 3, 15))

    def test_order_is_generated_on_its_date(self):
        template = self._template("2024-03-15")
        self.assertRegex(template.name, r"^SUB/2024/\d{5}$")
        self.assertEqual(self._run("2024-03-15 08:00:00"), 1)

        order = template.generated_order_ids
        self.assertEqual(len(order), 1)
        self.assertEqual([order.name], self._next_names(template, 1))
        self.assertEqual(order.date_order, datetime(2024, 3, 15, 10, 0))
        self.assertEqual(order.recurrence_occurrence_date, date(2024, 3, 15))
        self.assertEqual(order.origin_order_id, template)
        self.assertEqual(order.status_id, self.status_draft)
        self.assertEqual(order.partner_id, self.customer)
        self.assertEqual(order.order_type_id, self.type_sub)
        self.assertEqual(order.user_id, self.salesman)
        self.assertEqual(order.team_id, template.team_id)
        self.assertEqual(order.company_id, self.company)
        self.assertFalse(order.recurrence_next_date)
        self.assertEqual(
            [
                (
                    line.product_id,
                    line.name,
                    line.quantity,
                    line.product_uom_id,
                    line.price_unit,
                    line.discount,
                )
                for line in order.line_ids
            ],
            [
                (
                    line.product_id,
                    line.name,
                    line.quantity,
                    line.product_uom_id,
                    line.price_unit,
                    line.discount,
                )
                for line in template.line_ids
            ],
        )
        self.assertEqual(order.amount_total, 169.0)  # 2 × 10 × 0.95 + 3 × 50
        self.assertEqual(template.recurrence_next_date, date(2024, 4, 15))
        self.assertEqual(template.generated_order_count, 1)
        action = template.action_view_generated_orders()
        self.assertEqual(self.env["crm.order"].search(action["domain"]), order)

    def test_missed_occurrences_are_caught_up_in_date_order(self):
        # relativedelta semantics: Jan 31 + 1 month is Feb 29 (2024 is a leap
        # year), and the next ones follow from there: Mar 29, Apr 29.
        template = self._template("2024-01-31")
        self.assertEqual(self._run("2024-05-02"), 4)
        orders = self._generated(template)
        self.assertEqual(
            orders.mapped("recurrence_occurrence_date"),
            [
                date(2024, 1, 31),
                date(2024, 2, 29),
                date(2024, 3, 29),
                date(2024, 4, 29),
            ],
        )
        self.assertEqual(orders.mapped("name"), self._next_names(template, 4))
        self.assertEqual(template.recurrence_next_date, date(2024, 5, 29))

    def test_month_end_in_a_common_year_falls_on_feb_28(self):
        template = self._template("2023-01-31")
        self._run("2023-03-01")
        self.assertEqual(
            self._generated(template).mapped("recurrence_occurrence_date"),
            [date(2023, 1, 31), date(2023, 2, 28)],
        )
        self.assertEqual(template.recurrence_next_date, date(2023, 3, 28))

    def test_interval_and_units(self):
        weekly = self._template("2024-01-01", unit="week", interval=2)
        yearly = self._template("2020-02-29", unit="year")
        self._run("2024-01-29")
        self.assertEqual(
            self._generated(weekly).mapped("recurrence_occurrence_date"),
            [date(2024, 1, 1), date(2024, 1, 15), date(2024, 1, 29)],
        )
        self.assertEqual(
            self._generated(yearly).mapped("recurrence_occurrence_date"),
            [
                date(2020, 2, 29),
                date(2021, 2, 28),
                date(2022, 2, 28),
                date(2023, 2, 28),
            ],
        )
        self.assertEqual(yearly.recurrence_next_date, date(2024, 2, 28))

    # ------------------------------------------------------------
    # NO DUPLICATES
    # ------------------------------------------------------------

    def test_second_run_generates_nothing(self):
        template = self._template("2024-03-15")
        self.assertEqual(self._run("2024-03-20"), 1)
        self.assertEqual(self._run("2024-03-20"), 0)
        self.assertEqual(template.generated_order_count, 1)

    def test_occurrence_generated_already_is_skipped(self):
        template = self._template("2024-03-15")
        self._run("2024-04-20")
        # Someone moves the next date back over generated occurrences.
        template.recurrence_next_date = "2024-03-15"
        self.assertEqual(self._run("2024-04-20"), 0)
        self.assertEqual(template.generated_order_count, 2)
        self.assertEqual(template.recurrence_next_date, date(2024, 5, 15))

    @mute_logger("odoo.sql_db")
    def test_one_order_per_occurrence_is_enforced_by_the_database(self):
        template = self._template("2024-03-15")
        self._run("2024-03-15")
        # Clients cannot name a template (test_crm_order_integrity): the guard is
        # reached by the server's own code, here the history import mode.
        with self.assertRaises(IntegrityError):
            self.env["crm.order"].with_context(crm_order_import=True).create(
                {
                    "partner_id": self.customer.id,
                    "line_ids": [self._line()],
                    "origin_order_id": template.id,
                    "recurrence_occurrence_date": "2024-03-15",
                }
            )

    def test_template_locked_by_another_run_is_skipped(self):
        # Another transaction's lock cannot be taken in this one (a row lock is
        # re-entrant for its own transaction); the real two-cursor test is in the
        # top-level tests/test_recurrence_concurrency.py. Here: the lock query
        # itself, as the method runs it, returns the due templates.
        template = self._template("2024-03-15")
        self.env.cr.execute(
            "SELECT id FROM crm_order WHERE id = %s FOR UPDATE SKIP LOCKED",
            [template.id],
        )
        self.assertEqual(self.env.cr.fetchall(), [(template.id,)])
        self.assertEqual(self._run("2024-03-15"), 1)

    def test_templates_are_processed_in_batches(self):
        first = self._template("2024-03-15")
        second = self._template("2024-03-15")
        self.assertEqual(self._run("2024-03-15", batch_size=1), 1)
        self.assertEqual(first.generated_order_count, 1)
        self.assertEqual(second.generated_order_count, 0)
        self.assertEqual(self._run("2024-03-15", batch_size=1), 1)
        self.assertEqual(second.generated_order_count, 1)

    # ------------------------------------------------------------
    # END OF THE RECURRENCE
    # ------------------------------------------------------------

    def test_recurrence_ends_after_its_end_date(self):
        template = self._template(
            "2024-01-10",
            unit="week",
            recurrence_end_type="date",
            recurrence_end_date="2024-01-24",
        )
        self.assertEqual(self._run("2024-02-15"), 3)
        self.assertEqual(
            self._generated(template).mapped("recurrence_occurrence_date"),
            [date(2024, 1, 10), date(2024, 1, 17), date(2024, 1, 24)],
        )
        self.assertFalse(template.recurrence_next_date)
        self.assertEqual(self._run("2024-03-15"), 0)

    def test_recurrence_ends_on_its_last_date_when_generated_on_time(self):
        template = self._template(
            "2024-01-24",
            unit="week",
            recurrence_end_type="date",
            recurrence_end_date="2024-01-24",
        )
        self._run("2024-01-24")
        self.assertEqual(template.generated_order_count, 1)
        self.assertFalse(template.recurrence_next_date)

    def test_recurrence_ends_after_its_count(self):
        template = self._template(
            "2024-01-01", unit="day", recurrence_end_type="count", recurrence_count=2
        )
        self.assertEqual(self._run("2024-01-01"), 1)
        self.assertEqual(template.recurrence_next_date, date(2024, 1, 2))
        self.assertEqual(self._run("2024-01-10"), 1)
        self.assertEqual(
            self._generated(template).mapped("recurrence_occurrence_date"),
            [date(2024, 1, 1), date(2024, 1, 2)],
        )
        self.assertFalse(template.recurrence_next_date)

    def test_archived_customer_stops_generation(self):
        template = self._template("2024-03-15")
        self.customer.active = False
        self.assertEqual(self._run("2024-04-20"), 0)
        self.assertFalse(template.generated_order_ids)
        self.assertEqual(template.recurrence_next_date, date(2024, 3, 15))

    def test_cancelled_template_stops_generation(self):
        template = self._template("2024-03-15")
        self._cancel(template)
        self.assertEqual(self._run("2024-04-20"), 0)
        self.assertFalse(template.generated_order_ids)

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    def test_interval_is_at_least_one(self):
        with self.assertRaisesRegex(
            ValidationError, "repeats every 1 or more days, weeks, months or years"
        ):
            self._template("2024-03-15", interval=0)

    def test_end_date_is_required_when_ending_on_a_date(self):
        with self.assertRaisesRegex(ValidationError, "give the end date"):
            self._template("2024-03-15", recurrence_end_type="date")

    def test_count_is_required_when_ending_after_a_number(self):
        with self.assertRaisesRegex(ValidationError, "number of orders to generate"):
            self._template("2024-03-15", recurrence_end_type="count")

    def test_only_recurring_types_repeat(self):
        with self.assertRaisesRegex(
            ValidationError, "only orders of a recurring type repeat; New Customer"
        ):
            self._template("2024-03-15", order_type_id=self.type_new.id)

    def test_generated_order_does_not_repeat(self):
        template = self._template("2024-03-15")
        self._run("2024-03-15")
        with self.assertRaisesRegex(ValidationError, "does not repeat itself"):
            template.generated_order_ids.recurrence_next_date = "2024-05-01"
