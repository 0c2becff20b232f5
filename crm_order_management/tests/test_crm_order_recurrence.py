# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, datetime

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tests.common import new_test_user
from odoo.tools import mute_logger

from ..models.crm_order import RECURRENCE_FIELDS
from .common import CrmOrderCommon
from .test_crm_order_integrity import CrmOrderXmlrpcCase


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
        # itself, as the method runs it, returns the due recurrences.
        template = self._template("2024-03-15")
        Recurrence = self.env["crm.order.recurrence"]
        self.assertEqual(
            Recurrence._lock_due(date(2024, 3, 15), 100), template.recurrence_id
        )
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


@tagged("post_install", "-at_install")
class TestCrmOrderRecurrenceModel(CrmOrderCommon):
    """The recurrence is a record of its own (crm.order.recurrence); the order
    shows it as its recurrence_* fields, which create and change it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Recurrence = cls.env["crm.order.recurrence"]

    def _order_values(self, order):
        return {name: order[name] for name in RECURRENCE_FIELDS}

    def _recurrence_values(self, recurrence):
        return {name: recurrence[name] for name in RECURRENCE_FIELDS.values()}

    def _fortnightly(self, **vals):
        """A recurring order every 2 weeks from 2024-03-04, ending after 5."""
        return self._create_order(
            order_type_id=self.type_recurring.id,
            recurrence_interval=2,
            recurrence_unit="week",
            recurrence_next_date="2024-03-04",
            recurrence_end_type="count",
            recurrence_count=5,
            **vals,
        )

    def test_order_fields_are_not_columns_of_the_order(self):
        Order = self.env["crm.order"]
        self.assertFalse(any(Order._fields[name].store for name in RECURRENCE_FIELDS))
        self.env.cr.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_name = 'crm_order' AND column_name = ANY(%s)",
            [list(RECURRENCE_FIELDS)],
        )
        self.assertEqual(self.env.cr.fetchall(), [])

    def test_order_without_recurrence_shows_the_defaults(self):
        order = self._create_order(order_type_id=self.type_recurring.id)
        self.assertFalse(order.recurrence_id)
        self.assertFalse(self.Recurrence.search([("order_id", "=", order.id)]))
        self.assertEqual(
            self._order_values(order),
            {
                "recurrence_interval": 1,
                "recurrence_unit": "month",
                "recurrence_next_date": False,
                "recurrence_end_type": "never",
                "recurrence_end_date": False,
                "recurrence_count": 0,
            },
        )

    def test_writing_the_defaults_creates_no_recurrence(self):
        order = self._create_order(
            recurrence_interval=1, recurrence_unit="month", recurrence_count=0
        )
        order.with_user(self.salesman).write(
            {"recurrence_end_type": "never", "recurrence_next_date": False}
        )
        self.assertFalse(self.Recurrence.search([("order_id", "=", order.id)]))

    def test_recurrence_fields_create_one_recurrence(self):
        order = self._fortnightly()
        recurrence = self.Recurrence.search([("order_id", "=", order.id)])
        self.assertEqual(len(recurrence), 1)
        self.assertEqual(order.recurrence_id, recurrence)
        self.assertEqual(recurrence.company_id, self.company)
        self.assertEqual(recurrence.display_name, order.name)
        self.assertEqual(
            self._recurrence_values(recurrence),
            {
                "repeat_interval": 2,
                "repeat_unit": "week",
                "next_date": date(2024, 3, 4),
                "end_type": "count",
                "end_date": False,
                "end_count": 5,
            },
        )
        self.assertEqual(
            self._order_values(order),
            {
                "recurrence_interval": 2,
                "recurrence_unit": "week",
                "recurrence_next_date": date(2024, 3, 4),
                "recurrence_end_type": "count",
                "recurrence_end_date": False,
                "recurrence_count": 5,
            },
        )
        self.assertEqual(
            self.env["crm.order"].search([("recurrence_id", "=", recurrence.id)]),
            order,
        )

    def test_orders_are_searched_by_their_recurrence_fields(self):
        repeating = self._fortnightly()
        plain = self._create_order(order_type_id=self.type_recurring.id)
        orders = repeating | plain
        Order = self.env["crm.order"].with_user(self.salesman)

        def found(domain):
            return Order.search([("id", "in", orders.ids), *domain])

        self.assertEqual(
            found([("recurrence_next_date", "<=", "2024-03-31")]), repeating
        )
        self.assertEqual(found([("recurrence_next_date", "=", False)]), plain)
        self.assertEqual(found([("recurrence_interval", "=", 1)]), plain)
        self.assertEqual(found([("recurrence_interval", ">=", 1)]), orders)
        self.assertEqual(found([("recurrence_unit", "=", "week")]), repeating)
        self.assertEqual(found([("recurrence_end_type", "!=", "count")]), plain)
        self.assertEqual(found([("recurrence_end_date", "!=", False)]), Order)
        self.assertEqual(found([("recurrence_count", ">", 0)]), repeating)
        self.assertEqual(found([("recurrence_id", "!=", False)]), repeating)

    def test_writing_one_field_keeps_the_others(self):
        order = self._fortnightly()
        recurrence = order.recurrence_id
        order.with_user(self.salesman).recurrence_next_date = "2024-04-01"
        self.env.invalidate_all()
        self.assertEqual(order.recurrence_id, recurrence)
        self.assertEqual(
            self._recurrence_values(recurrence),
            {
                "repeat_interval": 2,
                "repeat_unit": "week",
                "next_date": date(2024, 4, 1),
                "end_type": "count",
                "end_date": False,
                "end_count": 5,
            },
        )

    def test_one_field_on_an_order_without_recurrence_takes_the_defaults(self):
        order = self._create_order(order_type_id=self.type_recurring.id)
        order.with_user(self.salesman).write({"recurrence_interval": 3})
        self.assertEqual(
            self._recurrence_values(order.recurrence_id),
            {
                "repeat_interval": 3,
                "repeat_unit": "month",
                "next_date": False,
                "end_type": "never",
                "end_date": False,
                "end_count": 0,
            },
        )

    def test_write_on_several_orders_sets_each_recurrence(self):
        repeating = self._fortnightly()
        plain = self._create_order(order_type_id=self.type_recurring.id)
        (repeating | plain).with_user(self.salesman).write(
            {"recurrence_end_type": "date", "recurrence_end_date": "2024-12-31"}
        )
        self.assertEqual(
            [
                (
                    order.recurrence_id.repeat_interval,
                    order.recurrence_id.repeat_unit,
                    order.recurrence_id.next_date,
                    order.recurrence_id.end_type,
                    order.recurrence_id.end_date,
                )
                for order in repeating | plain
            ],
            [
                (2, "week", date(2024, 3, 4), "date", date(2024, 12, 31)),
                (1, "month", False, "date", date(2024, 12, 31)),
            ],
        )

    def test_form_sets_the_recurrence_like_before(self):
        form = Form(self.env["crm.order"].with_user(self.salesman))
        form.partner_id = self.customer
        form.order_type_id = self.type_recurring
        self.assertEqual(form.recurrence_interval, 1)
        self.assertEqual(form.recurrence_unit, "month")
        self.assertEqual(form.recurrence_end_type, "never")
        form.recurrence_interval = 2
        form.recurrence_unit = "week"
        form.recurrence_next_date = date(2024, 3, 4)
        form.recurrence_end_type = "date"
        form.recurrence_end_date = date(2024, 6, 30)
        order = form.save()
        self.assertEqual(
            self._recurrence_values(order.recurrence_id),
            {
                "repeat_interval": 2,
                "repeat_unit": "week",
                "next_date": date(2024, 3, 4),
                "end_type": "date",
                "end_date": date(2024, 6, 30),
                "end_count": 0,
            },
        )
        with Form(order.with_user(self.salesman)) as form:
            form.recurrence_interval = 3
        self.assertEqual(order.recurrence_id.repeat_interval, 3)
        self.assertEqual(order.recurrence_id.end_date, date(2024, 6, 30))

    def test_form_of_an_ordinary_order_creates_no_recurrence(self):
        form = Form(self.env["crm.order"].with_user(self.salesman))
        form.partner_id = self.customer
        order = form.save()
        self.assertEqual(order.order_type_id, self.type_new)
        self.assertFalse(order.recurrence_id)

    def test_copy_keeps_the_rule_but_not_the_next_date(self):
        order = self._fortnightly()
        copy = order.with_user(self.salesman).copy()
        self.assertTrue(copy.recurrence_id)
        self.assertNotEqual(copy.recurrence_id, order.recurrence_id)
        self.assertEqual(
            self._recurrence_values(copy.recurrence_id),
            {
                "repeat_interval": 2,
                "repeat_unit": "week",
                "next_date": False,
                "end_type": "count",
                "end_date": False,
                "end_count": 5,
            },
        )

    def test_deleting_the_order_deletes_its_recurrence(self):
        order = self._fortnightly()
        recurrence = order.recurrence_id
        order.with_user(self.salesman).unlink()
        self.assertFalse(recurrence.exists())

    def test_bounds_hold_on_the_recurrence_itself(self):
        order = self._create_order(order_type_id=self.type_recurring.id)
        Recurrence = self.Recurrence.with_user(self.salesman)
        for vals, message in (
            ({"repeat_interval": 101}, "at most, not every 101"),
            ({"end_type": "count", "end_count": 1001}, "generates at most 1000"),
            ({"next_date": "3000-01-01"}, "Next Occurrence (next_date)"),
        ):
            with self.subTest(vals=vals), self.assertRaises(ValidationError) as error:
                Recurrence.create({"order_id": order.id, **vals})
            self.assertIn(message, str(error.exception))
        self.assertFalse(order.recurrence_id)

    def test_template_keeps_a_recurring_type(self):
        order = self._fortnightly()
        with self.assertRaises(ValidationError) as error:
            order.with_user(self.salesman).order_type_id = self.type_new
        self.assertIn(
            "only orders of a recurring type repeat; New Customer",
            str(error.exception),
        )
        self.assertEqual(order.order_type_id, self.type_recurring)

    @mute_logger("odoo.sql_db")
    def test_an_order_has_one_recurrence(self):
        order = self._fortnightly()
        with self.assertRaises(IntegrityError):
            self.Recurrence.create({"order_id": order.id})

    def test_recurrence_cannot_move_to_another_order(self):
        order = self._fortnightly()
        other = self._create_order(order_type_id=self.type_recurring.id)
        with self.assertRaisesRegex(UserError, "cannot be moved to another order"):
            order.recurrence_id.with_user(self.salesman).order_id = other
        with self.assertRaisesRegex(UserError, "Recurrence \\(recurrence_id\\)"):
            other.with_user(self.salesman).recurrence_id = order.recurrence_id

    def test_salesperson_reaches_the_recurrences_of_the_orders_they_reach(self):
        own = self._fortnightly()
        unassigned = self._fortnightly(user_id=False)
        others = self._fortnightly(user=self.salesman_other)
        recurrences = (own | unassigned | others).recurrence_id
        Recurrence = self.Recurrence.with_user(self.salesman)
        self.assertEqual(
            Recurrence.search([("id", "in", recurrences.ids)]),
            (own | unassigned).recurrence_id,
        )
        with self.assertRaises(AccessError):
            others.recurrence_id.with_user(self.salesman).repeat_interval = 5
        with self.assertRaises(AccessError):
            others.with_user(self.salesman).recurrence_interval = 5
        all_documents = self.Recurrence.with_user(self.salesman_all)
        self.assertEqual(
            all_documents.search([("id", "in", recurrences.ids)]), recurrences
        )

    def test_recurrences_are_isolated_per_company(self):
        company_b = self.env["res.company"].create({"name": "Lotus Branch B"})
        user_ab = new_test_user(
            self.env,
            login="crm_order_recurrence_ab",
            groups="sales_team.group_sale_salesman_all_leads",
            company_id=company_b.id,
            company_ids=[(6, 0, (self.company | company_b).ids)],
        )
        order_b = self._fortnightly(user=user_ab, company_id=company_b.id)
        self.assertEqual(order_b.recurrence_id.company_id, company_b)
        found = self.Recurrence.with_user(self.salesman_all).search(
            [("order_id", "=", order_b.id)]
        )
        self.assertFalse(found)
        with self.assertRaises(AccessError):
            order_b.recurrence_id.with_user(self.salesman_all).read(["next_date"])


@tagged("post_install", "-at_install")
class TestCrmOrderRecurrenceXmlrpc(CrmOrderXmlrpcCase):
    """XML-RPC clients read, write and search the recurrence of an order through
    the order's fields, as when they were columns of the order."""

    def test_client_sets_reads_and_searches_the_recurrence(self):
        order_id = self.rpc(
            self.salesman,
            "crm.order",
            "create",
            {
                "partner_id": self.customer.id,
                "order_type_id": self.type_recurring.id,
                "line_ids": [(0, 0, {"product_id": self.product.id})],
                "recurrence_interval": 2,
                "recurrence_unit": "week",
                "recurrence_next_date": "2024-03-04",
                "recurrence_end_type": "count",
                "recurrence_count": 5,
            },
        )
        self.rpc(
            self.salesman,
            "crm.order",
            "write",
            [order_id],
            {"recurrence_next_date": "2024-03-18"},
        )
        fields = list(RECURRENCE_FIELDS)
        [values] = self.rpc(
            self.salesman, "crm.order", "read", [order_id], fields=fields
        )
        del values["id"]
        self.assertEqual(
            values,
            {
                "recurrence_interval": 2,
                "recurrence_unit": "week",
                "recurrence_next_date": "2024-03-18",
                "recurrence_end_type": "count",
                "recurrence_end_date": False,
                "recurrence_count": 5,
            },
        )
        self.assertEqual(
            self.rpc(
                self.salesman,
                "crm.order",
                "search",
                [("recurrence_next_date", "=", "2024-03-18")],
            ),
            [order_id],
        )
