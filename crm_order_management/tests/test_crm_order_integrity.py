# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The rules hold on every path: each finding of the integrity review, tried as an
ordinary user over XML-RPC (HttpCase.xmlrpc_object reaches the server the test
runs), or with sudo() where the finding was about sudo(). Each refusal is checked
for its message and for the database left unchanged."""

import math
import xmlrpc.client
from datetime import date

from psycopg2 import IntegrityError

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged
from odoo.tests.common import new_test_user
from odoo.tools import mute_logger

from ..tools import server_owned_fields
from .common import CrmOrderCommon, XmlrpcMixin


class CrmOrderXmlrpcCase(XmlrpcMixin, CrmOrderCommon, HttpCase):
    """Orders tried over XML-RPC as the test users."""


@tagged("post_install", "-at_install")
class TestServerOwnedFields(CrmOrderXmlrpcCase):
    """Findings 1, 2 and 6: derived figures and numbers are the server's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.done_order = cls._complete(cls._create_order(lines=[(2.0, 74.5, 0.0)]))

    def test_status_category_cannot_be_written(self):
        self.assertRefused(
            "Status Category (status_category)",
            self.salesman,
            "crm.order",
            "write",
            [self.done_order.id],
            {"status_category": "draft"},
        )
        self.assertEqual(self.done_order.status_category, "done")
        # The lines of the completed order stay locked.
        self.assertRefused(
            "cannot be changed",
            self.salesman,
            "crm.order.line",
            "write",
            self.done_order.line_ids.ids,
            {"price_unit": 0.25},
        )
        self.assertEqual(self.done_order.amount_total, 149.0)

    def test_completed_order_cannot_be_deleted_through_its_category(self):
        self.assertRefused(
            "cannot be written",
            self.salesman,
            "crm.order",
            "write",
            [self.done_order.id],
            {"status_category": "cancel"},
        )
        self.assertRefused(
            "Only draft or cancelled orders can be deleted",
            self.salesman,
            "crm.order",
            "unlink",
            [self.done_order.id],
        )
        self.assertTrue(self.done_order.exists())
        self.assertEqual(len(self.done_order.status_history_ids), 5)

    def test_amounts_and_customer_entity_cannot_be_written(self):
        contact = self.customer_contact
        for vals, label in (
            ({"amount_total": 1e9}, "Total (amount_total)"),
            ({"amount_untaxed": 1.0}, "Untaxed Amount (amount_untaxed)"),
            ({"commercial_partner_id": contact.id}, "(commercial_partner_id)"),
            ({"currency_id": self.env.ref("base.EUR").id}, "(currency_id)"),
        ):
            with self.subTest(vals=vals):
                self.assertRefused(
                    label,
                    self.salesman,
                    "crm.order",
                    "write",
                    [self.done_order.id],
                    vals,
                )
        self.assertEqual(self.done_order.amount_total, 149.0)
        self.assertEqual(self.done_order.commercial_partner_id, self.customer)
        self.assertEqual(self.done_order.currency_id, self.currency)

    def test_customer_profile_cannot_be_written(self):
        self.assertEqual(self.customer.crm_loyalty, "new")
        for vals, label in (
            ({"crm_loyalty": "at_risk"}, "Loyalty (crm_loyalty)"),
            ({"crm_satisfaction": 1.0}, "Satisfaction (crm_satisfaction)"),
        ):
            with self.subTest(vals=vals):
                self.assertRefused(
                    label,
                    self.salesman,
                    "res.partner",
                    "write",
                    [self.customer.id],
                    vals,
                )
        self.assertEqual(self.customer.crm_loyalty, "new")
        self.assertEqual(self.customer.crm_satisfaction, 0.0)

    def test_order_number_is_given_by_the_server(self):
        order = self._create_order()
        self.assertRefused(
            "Number (name)",
            self.salesman,
            "crm.order",
            "create",
            {"partner_id": self.customer.id, "name": self.done_order.name},
        )
        self.assertRefused(
            "Number (name)",
            self.salesman,
            "crm.order",
            "write",
            [order.id],
            {"name": self.done_order.name},
        )
        self.assertEqual(
            self.env["crm.order"].search_count([("name", "=", self.done_order.name)]),
            1,
        )

    @mute_logger("odoo.sql_db")
    def test_order_numbers_are_unique_in_the_database(self):
        with self.assertRaises(IntegrityError):
            self.env["crm.order"].with_context(crm_order_import=True).create(
                {"partner_id": self.customer.id, "name": self.done_order.name}
            )

    def test_lines_and_events_cannot_change_order_or_company(self):
        other = self._create_order()
        line = other.line_ids
        event = (
            self.env["crm.order.tracking"]
            .with_user(self.salesman)
            .create({"order_id": other.id, "kind": "call"})
        )
        company_b = self.env["res.company"].create({"name": "Lotus Branch B"})
        for model, record in (("crm.order.line", line), ("crm.order.tracking", event)):
            with self.subTest(model=model):
                self.assertRefused(
                    "(company_id)",
                    self.salesman,
                    model,
                    "write",
                    record.ids,
                    {"company_id": company_b.id},
                )
                self.assertRefused(
                    "cannot be moved to another order",
                    self.salesman,
                    model,
                    "write",
                    record.ids,
                    {"order_id": self._create_order().id},
                )
                self.assertEqual(record.company_id, self.company)
                self.assertEqual(record.order_id, other)


@tagged("post_install", "-at_install")
class TestCompanyIsolation(CrmOrderXmlrpcCase):
    """Finding 3: an order does not leave its company."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Lotus Branch B"})
        cls.user_a = new_test_user(
            cls.env,
            login="crm_order_integrity_a",
            groups="sales_team.group_sale_salesman_all_leads",
            company_id=cls.company.id,
            company_ids=[(6, 0, cls.company.ids)],
        )
        cls.user_ab = new_test_user(
            cls.env,
            login="crm_order_integrity_ab",
            groups="sales_team.group_sale_salesman_all_leads",
            company_id=cls.company.id,
            company_ids=[(6, 0, (cls.company | cls.company_b).ids)],
        )

    def test_order_cannot_move_to_a_company_of_another_user(self):
        order = self._create_order(user=self.user_a)
        self.assertRefused(
            "you are not allowed in it",
            self.user_a,
            "crm.order",
            "write",
            [order.id],
            {"company_id": self.company_b.id},
        )
        self.assertEqual(order.company_id, self.company)
        self.assertEqual(order.line_ids.company_id, self.company)

    def test_order_keeps_its_company_once_out_of_draft(self):
        order = self._move(
            self._create_order(user=self.user_ab),
            self.status_payment,
            user=self.user_ab,
        )
        self.assertRefused(
            "cannot change once it has left draft",
            self.user_ab,
            "crm.order",
            "write",
            [order.id],
            {"company_id": self.company_b.id},
        )
        self.assertEqual(order.company_id, self.company)

    def test_draft_order_moves_to_a_company_of_the_user(self):
        order = self._create_order(user=self.user_ab, user_id=False)
        self.rpc(
            self.user_ab,
            "crm.order",
            "write",
            [order.id],
            {"company_id": self.company_b.id},
            context={"allowed_company_ids": [self.company.id, self.company_b.id]},
        )
        self.env.invalidate_all()
        self.assertEqual(order.company_id, self.company_b)
        self.assertEqual(order.line_ids.company_id, self.company_b)


@tagged("post_install", "-at_install")
class TestRatingLinks(CrmOrderXmlrpcCase):
    """Finding 4: a rating link rates the completed order it was issued for."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Lotus Branch B"})
        cls.user_b = new_test_user(
            cls.env,
            login="crm_order_rating_b",
            groups="sales_team.group_sale_salesman_all_leads",
            company_id=cls.company_b.id,
            company_ids=[(6, 0, cls.company_b.ids)],
        )
        cls.order_b = cls._create_order(user=cls.user_b, company_id=cls.company_b.id)
        # The customer's rating is notified by e-mail, from the customer.
        cls.customer.email = "ben.private@example.com"
        cls.own_order = cls._complete(cls._create_order())

    def test_rating_cannot_be_minted_for_an_order_of_another_company(self):
        model_id = self.env["ir.model"]._get_id("crm.order")
        self.assertRefused(
            "doesn't have 'create' access to:\n- Rating (rating.rating)",
            self.salesman,
            "rating.rating",
            "create",
            {
                "res_model_id": model_id,
                "res_id": self.order_b.id,
                "partner_id": self.customer.id,
            },
        )
        self.assertFalse(self.order_b.rating_ids)

    def test_rating_cannot_be_moved_onto_an_order_of_another_company(self):
        self.own_order._rating_get_access_token()
        rating = self.own_order.rating_ids
        self.assertRefused(
            "doesn't have 'write' access to:\n- Rating (rating.rating)",
            self.salesman,
            "rating.rating",
            "write",
            rating.ids,
            {"res_id": self.order_b.id},
        )
        self.assertEqual(rating.res_id, self.own_order.id)

    def test_token_of_another_order_is_refused(self):
        token = self.order_b._rating_get_access_token()
        self.assertRefused(
            "This rating link is for another record.",
            self.salesman,
            "crm.order",
            "rating_apply",
            [self.own_order.id],
            5,
            token=token,
        )
        self.assertEqual(self.order_b.rating, 0)
        self.assertEqual(self.own_order.rating, 0)
        self.assertFalse(self.order_b.rating_ids.filtered("consumed"))

    def test_token_of_an_order_not_completed_is_refused(self):
        order = self._move(self._create_order(), self.status_payment)
        token = order._rating_get_access_token()
        with self.assertRaisesRegex(UserError, "Only completed orders can be rated"):
            order.sudo().rating_apply(5, token=token)
        self.assertEqual(order.rating, 0)

    def test_token_rates_its_completed_order(self):
        token = self.own_order._rating_get_access_token()
        self.own_order.sudo().rating_apply(4, token=token, feedback="Fine")
        self.assertEqual(self.own_order.rating, 4)
        self.assertEqual(self.own_order.rating_comment, "Fine")


@tagged("post_install", "-at_install")
class TestTrackingAuthors(CrmOrderXmlrpcCase):
    """Finding 5: only the author or a sales manager changes an event."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls._create_order(user_id=False)
        cls.event = (
            cls.env["crm.order.tracking"]
            .with_user(cls.salesman)
            .create({"order_id": cls.order.id, "kind": "call", "summary": "Called"})
        )

    def test_all_documents_user_cannot_edit_or_take_over_another_event(self):
        self.assertRefused(
            "doesn't have 'write' access to:\n- Order Tracking Event",
            self.salesman_all,
            "crm.order.tracking",
            "write",
            self.event.ids,
            {"summary": "Edited"},
        )
        self.assertRefused(
            "Logged By (user_id)",
            self.salesman_all,
            "crm.order.tracking",
            "write",
            self.event.ids,
            {"user_id": self.salesman_all.id},
        )
        self.assertRefused(
            "doesn't have 'unlink' access to:\n- Order Tracking Event",
            self.salesman_all,
            "crm.order.tracking",
            "unlink",
            self.event.ids,
        )
        self.assertEqual(self.event.summary, "Called")
        self.assertEqual(self.event.user_id, self.salesman)

    def test_author_and_manager_edit_the_event(self):
        self.rpc(
            self.salesman,
            "crm.order.tracking",
            "write",
            self.event.ids,
            {"kind": "email"},
        )
        self.rpc(
            self.manager,
            "crm.order.tracking",
            "write",
            self.event.ids,
            {"summary": "Checked"},
        )
        self.env.invalidate_all()
        self.assertEqual((self.event.kind, self.event.summary), ("email", "Checked"))
        self.assertEqual(self.event.user_id, self.salesman)

    def test_author_is_set_by_the_server(self):
        self.assertRefused(
            "Logged By (user_id)",
            self.salesman,
            "crm.order.tracking",
            "create",
            {"order_id": self.order.id, "user_id": self.salesman_other.id},
        )
        self.assertEqual(self.order.tracking_ids, self.event)
        event_id = self.rpc(
            self.salesman_all,
            "crm.order.tracking",
            "create",
            {"order_id": self.order.id, "user_id": self.salesman_all.id},
        )
        event = self.env["crm.order.tracking"].browse(event_id)
        self.assertEqual(event.user_id, self.salesman_all)


@tagged("post_install", "-at_install")
class TestBadValues(CrmOrderXmlrpcCase):
    """Findings 7 and 8: NaN, infinite numbers, dates and intervals out of range."""

    def test_nan_and_infinite_numbers_are_refused(self):
        order = self._create_order()
        for value in (math.nan, math.inf, -math.inf):
            with self.subTest(value=value):
                self.assertRefused(
                    "Quantity (quantity) of Customer Order Line",
                    self.salesman,
                    "crm.order.line",
                    "write",
                    order.line_ids.ids,
                    {"quantity": value},
                )
                self.assertRefused(
                    "is not a number from -1,000,000,000,000,000 to "
                    "1,000,000,000,000,000",
                    self.salesman,
                    "crm.order",
                    "create",
                    {
                        "partner_id": self.customer.id,
                        "line_ids": [
                            [0, 0, {"product_id": self.product.id, "price_unit": value}]
                        ],
                    },
                )
        self.assertEqual(order.line_ids.quantity, 1.0)

    def test_dates_out_of_range_are_refused(self):
        order = self._create_order()
        date_order = order.date_order
        for value in ("0001-01-01 00:00:00", "9999-12-01 00:00:00"):
            with self.subTest(value=value):
                self.assertRefused(
                    "Order Date (date_order)",
                    self.salesman,
                    "crm.order",
                    "write",
                    [order.id],
                    {"date_order": value},
                )
        self.assertEqual(order.date_order, date_order)

    def test_recompute_far_in_the_future_is_refused(self):
        self.assertRefused(
            "Metrics are computed for dates from 1900-01-01 to 2999-12-31.",
            self.manager,
            "crm.order.kpi",
            "recompute_range",
            "9999-12-01",
            "9999-12-31",
        )
        self.assertRefused(
            "Give the dates as YYYY-MM-DD",
            self.manager,
            "crm.order.kpi",
            "recompute_range",
            "tomorrow",
            "2024-01-01",
        )

    def test_recurrence_interval_is_bounded(self):
        order = self._create_order(order_type_id=self.type_recurring.id)
        self.assertRefused(
            "repeats every 100 days, weeks, months or years at most, not every 10000",
            self.salesman,
            "crm.order",
            "write",
            [order.id],
            {"recurrence_interval": 10000, "recurrence_unit": "year"},
        )
        self.assertEqual(order.recurrence_interval, 1)
        self.assertRefused(
            "Next Occurrence (recurrence_next_date)",
            self.salesman,
            "crm.order",
            "write",
            [order.id],
            {"recurrence_next_date": "0001-01-01"},
        )
        self.assertFalse(order.recurrence_next_date)


@tagged("post_install", "-at_install")
class TestRecurrenceCatchUp(CrmOrderCommon):
    """Finding 7: catch-up is capped, one failing template stops nothing."""

    def _template(self, next_date, **vals):
        return self._create_order(
            order_type_id=self.type_recurring.id,
            recurrence_unit="day",
            recurrence_next_date=next_date,
            **vals,
        )

    def test_catch_up_is_capped_and_noted(self):
        template = self._template("2024-01-01")
        created = template._generate_recurring_orders(date(2024, 2, 9))
        # 40 occurrences due (Jan 1 to Feb 9): the last 12, Jan 29 to Feb 9.
        self.assertEqual(len(created), 12)
        self.assertEqual(
            sorted(created.mapped("recurrence_occurrence_date")),
            [date(2024, 1, day) for day in (29, 30, 31)]
            + [date(2024, 2, day) for day in range(1, 10)],
        )
        self.assertEqual(template.recurrence_next_date, date(2024, 2, 10))
        self.assertIn(
            "40 occurrences behind (2024-01-01 to 2024-01-28)",
            template.message_ids[0].body,
        )

    @mute_logger("odoo.addons.crm_order_management.models.crm_order")
    def test_failing_template_does_not_stop_the_others(self):
        broken = self._template("2024-03-01")
        healthy = self._template("2024-03-01")
        # A type that lost its numbering sequence makes its orders fail.
        broken_type = self.env["crm.order.type"].create(
            {"name": "Broken", "is_recurring": True}
        )
        broken.order_type_id = broken_type
        broken_type.sequence_id = False
        created = self.env["crm.order"].browse()
        for template in broken | healthy:
            created |= template._generate_recurring_orders_safely(date(2024, 3, 1))
        self.assertEqual(created.origin_order_id, healthy)
        self.assertEqual(broken.recurrence_next_date, date(2024, 3, 1))
        self.assertIn("has no numbering sequence", broken.message_ids[0].body)


@tagged("post_install", "-at_install")
class TestNewCustomerOrders(CrmOrderCommon):
    """Finding 9 (in one transaction; tests/test_new_customer_concurrency.py runs
    two real transactions)."""

    def test_batch_for_a_new_customer_has_one_new_customer_order(self):
        customer = self.env["res.partner"].create({"name": "Fresh Customer"})
        orders = (
            self.env["crm.order"]
            .with_user(self.salesman)
            .create([{"partner_id": customer.id} for _ in range(5)])
        )
        self.assertEqual(
            [order.order_type_id.name for order in orders],
            ["New Customer"] + ["Returning Customer"] * 4,
        )


@tagged("post_install", "-at_install")
class TestSudoKeepsTheRules(CrmOrderXmlrpcCase):
    """Finding 10: sudo() lifts access rights, never a workflow rule; the history
    import mode is the superuser's only."""

    def test_sudo_does_not_skip_transitions(self):
        order = self._create_order()
        with self.assertRaisesRegex(UserError, "cannot move from Draft to Completed"):
            order.with_user(self.salesman).sudo().action_set_status(
                self.status_completed.id
            )
        self.assertEqual(order.status_id, self.status_draft)
        self.assertEqual(len(order.status_history_ids), 1)

    def test_sudo_does_not_skip_cancel_reasons(self):
        order = self._create_order()
        with self.assertRaisesRegex(UserError, "Give a cancel reason"):
            order.with_user(self.salesman).sudo().write(
                {"status_id": self.status_cancelled.id}
            )
        self.assertEqual(order.status_id, self.status_draft)

    def test_sudo_does_not_date_status_changes(self):
        order = self._create_order()
        with self.assertRaisesRegex(UserError, "Status Since"):
            order.with_user(self.salesman).sudo().write(
                {
                    "status_id": self.status_payment.id,
                    "date_status": "2020-01-01 00:00:00",
                }
            )
        self.assertEqual(order.status_id, self.status_draft)

    def test_import_mode_is_not_reachable_over_xmlrpc(self):
        order = self._create_order()
        self.assertRefused(
            "cannot move from Draft to Completed",
            self.salesman,
            "crm.order",
            "write",
            [order.id],
            {"status_id": self.status_completed.id},
            context={"crm_order_import": self.salesman.id},
        )
        self.assertEqual(order.status_id, self.status_draft)

    def test_system_changes_use_automatic_transitions(self):
        order = self._move(self._create_order(), self.status_payment)
        with self.assertRaisesRegex(UserError, "Allowed next statuses: none"):
            order.sudo()._change_status(self.status_shipment, automatic=True)
        transition = self.env.ref(
            "crm_order_management.order_transition_awaiting_payment_awaiting_shipment"
        )
        transition.automatic = True
        order.with_user(self.salesman_other).sudo()._change_status(
            self.status_shipment, automatic=True, trigger=self.customer
        )
        self.assertEqual(order.status_id, self.status_shipment)
        row = order.status_history_ids[0]
        self.assertEqual(
            (row.user_id, row.change_type, row.trigger_ref),
            (self.salesman_other, "system", self.customer),
        )


@tagged("post_install", "-at_install")
class TestSystemChangesInMetrics(CrmOrderCommon):
    """A change the system made is made by no processing staff (N)."""

    def test_system_change_is_not_counted_as_processing_staff(self):
        company = self.env["res.company"].create({"name": "Metrics Co"})
        users = [
            new_test_user(
                self.env,
                login=login,
                groups="sales_team.group_sale_salesman_all_leads",
                company_id=company.id,
                company_ids=[(6, 0, company.ids)],
            )
            for login in ("crm_order_metrics_sam", "crm_order_metrics_bot")
        ]
        partner = self.env["res.partner"].create({"name": "Metrics Customer"})
        order = self._move(
            self._create_order(partner=partner, user=users[0], company_id=company.id),
            self.status_payment,
            user=users[0],
        )
        self.env.ref(
            "crm_order_management.order_transition_awaiting_payment_awaiting_shipment"
        ).automatic = True
        order.with_user(users[1]).sudo()._change_status(
            self.status_shipment, automatic=True
        )
        today = fields.Date.today()
        Kpi = self.env["crm.order.kpi"]
        Kpi._compute_snapshots([("day", today)])
        snapshot = Kpi.search(
            [
                ("company_id", "=", company.id),
                ("granularity", "=", "day"),
                ("date_start", "=", today),
                ("order_type_id", "=", False),
            ]
        )
        # users[0] moved it to Awaiting Payment; the system, as users[1], moved it on
        self.assertEqual(snapshot.processor_count, 1)


@tagged("post_install", "-at_install")
class TestPartnerFieldsAccess(CrmOrderXmlrpcCase):
    """Finding 11: the addon's customer fields are the sales team's."""

    SALES_FIELDS = {"crm_loyalty", "crm_satisfaction", "customer_needs"}

    def test_portal_user_does_not_read_the_sales_fields(self):
        portal = new_test_user(
            self.env, login="crm_order_portal", groups="base.group_portal"
        )
        self._complete(self._create_order(partner=portal.partner_id))
        self.assertRefused(
            "crm_loyalty",
            portal,
            "res.partner",
            "read",
            portal.partner_id.ids,
            sorted(self.SALES_FIELDS),
        )
        described = self.rpc(portal, "res.partner", "fields_get", [], ["type"])
        self.assertIn("name", described)
        self.assertFalse(self.SALES_FIELDS & set(described))

    def test_internal_user_without_sales_rights_opens_a_partner(self):
        employee = new_test_user(
            self.env, login="crm_order_employee", groups="base.group_user"
        )
        # What the web client reads: the fields of the form view as this user sees it.
        views = self.rpc(employee, "res.partner", "get_views", [[False, "form"]])
        fields = views["models"]["res.partner"]["fields"]
        self.assertFalse({"crm_order_count", *self.SALES_FIELDS} & set(fields))
        (values,) = self.rpc(
            employee,
            "res.partner",
            "web_read",
            self.customer.ids,
            {name: {} for name in fields},
        )
        self.assertEqual(values["name"], "Ben Private")


@tagged("post_install", "-at_install")
class TestReassignedOpportunity(CrmOrderCommon):
    """Finding 12: completing an order marks its opportunity won, whoever owns it."""

    def test_salesperson_completes_order_of_a_reassigned_opportunity(self):
        self.company.crm_order_mark_won = True
        lead = self.env["crm.lead"].create(
            {
                "name": "Desks for Ben",
                "type": "opportunity",
                "partner_id": self.customer.id,
                "user_id": self.salesman.id,
            }
        )
        order = self._create_order(opportunity_id=lead.id)
        lead.user_id = self.salesman_other  # reassigned: the salesperson loses it
        self._complete(order)
        self.assertEqual(order.status_id, self.status_completed)
        self.assertTrue(lead.stage_id.is_won)


@tagged("post_install", "-at_install")
class TestReassignedOpportunityOverXmlrpc(CrmOrderXmlrpcCase):
    """Finding 12 as the salesperson meets it: the order completed over XML-RPC
    marks won an opportunity that the salesperson no longer reads."""

    def test_salesperson_completes_order_of_a_reassigned_opportunity(self):
        self.company.crm_order_mark_won = True
        lead = self.env["crm.lead"].create(
            {
                "name": "Desks for Ben",
                "type": "opportunity",
                "partner_id": self.customer.id,
                "user_id": self.salesman.id,
            }
        )
        order = self._create_order(opportunity_id=lead.id)
        lead.user_id = self.salesman_other  # reassigned: the salesperson loses it
        self.assertRefused(
            "Lead/Opportunity", self.salesman, "crm.lead", "read", lead.ids, ["name"]
        )
        for status in (
            self.status_payment,
            self.status_shipment,
            self.status_receipt,
            self.status_completed,
        ):
            self.rpc(
                self.salesman, "crm.order", "action_set_status", [order.id], status.id
            )
        self.env.invalidate_all()
        self.assertEqual(order.status_id, self.status_completed)
        self.assertEqual(
            order.status_history_ids[0].user_id, self.salesman, "completed by Sam"
        )
        self.assertTrue(lead.stage_id.is_won)
        self.assertEqual(lead.user_id, self.salesman_other)


@tagged("post_install", "-at_install")
class TestEveryStoredField(CrmOrderXmlrpcCase):
    """Every stored field of every model the addon defines, and every stored field
    it adds to other models, is either writable by design (the lists below) or
    refused to a salesperson over XML-RPC, with nothing changed."""

    # Writable by design, for whoever may edit the record.
    WRITABLE = {
        "crm.order": {
            "partner_id",
            "date_order",
            "user_id",
            "team_id",
            "company_id",
            "order_type_id",
            "status_id",  # through the workflow engine
            "cancel_reason_id",
            "cancel_note",
            "opportunity_id",
            "note",
            "rating",  # checked: completed orders only, dated by the server
            "rating_comment",
            "message_main_attachment_id",
        },
        # shown on the order as recurrence_interval, recurrence_unit...
        "crm.order.recurrence": {
            "repeat_interval",
            "repeat_unit",
            "next_date",
            "end_type",
            "end_date",
            "end_count",
        },
        "crm.order.line": {
            "sequence",
            "product_id",
            "name",
            "quantity",
            "product_uom_id",
            "price_unit",
            "discount",
        },
        "crm.order.tracking": {"date", "kind", "summary"},
        # configuration of other apps' records, by their own managers
        "res.partner": {"customer_needs", "crm_order_type_id"},
        "product.template": {"service_kind"},
        "mail.activity.type": {"crm_order_tracking_kind"},
        "res.company": {"crm_order_mark_won", "crm_order_portal_show_users"},
    }
    # Odoo's own columns: id and the log columns are never written by clients.
    MAGIC = {"id", "create_uid", "create_date", "write_uid", "write_date"}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls._create_order(
            order_type_id=cls.type_recurring.id, recurrence_next_date="2024-03-01"
        )
        cls.event = (
            cls.env["crm.order.tracking"]
            .with_user(cls.salesman)
            .create({"order_id": cls.order.id, "summary": "Called"})
        )
        Kpi = cls.env["crm.order.kpi"]
        Kpi._compute_snapshots([("month", date(2024, 3, 1))])
        # 91 days: more than one batch, queued as a job
        job = Kpi.recompute_range("2024-01-01", "2024-03-31", ["day"])
        cls.records = {
            "crm.order": cls.order,
            "crm.order.line": cls.order.line_ids,
            "crm.order.recurrence": cls.order.recurrence_id,
            "crm.order.tracking": cls.event,
            "crm.order.status.history": cls.order.status_history_ids,
            "crm.order.kpi": Kpi.search([], limit=1),
            "crm.order.kpi.job": cls.env["crm.order.kpi.job"].browse(job["job_id"]),
            "crm.order.status": cls.status_payment,
            "crm.order.type": cls.type_new,
            "crm.order.transition": cls.env.ref(
                "crm_order_management.order_transition_draft_awaiting_payment"
            ),
            "crm.order.cancel.reason": cls.cancel_reason,
            "res.partner": cls.customer,
            # the rating link of a completed order of the salesperson's
            "rating.rating": cls._rating_link_of_completed_order(),
        }

    @classmethod
    def _rating_link_of_completed_order(cls):
        order = cls._complete(cls._create_order())
        token = order._rating_get_access_token()
        return order.rating_ids.filtered(lambda r: r.access_token == token)

    def _addon_fields(self):
        """(model, field) of the stored columns of the models the addon defines,
        and of the columns it adds to other models."""
        result = set()
        for model_name in self.env.registry:
            model = self.env[model_name]
            if model._transient or model._abstract:
                continue
            own_model = model._original_module == "crm_order_management"
            for name, field in model._fields.items():
                if not (field.store and field.column_type):
                    continue
                if own_model or field._module == "crm_order_management":
                    result.add((model_name, name))
        return result

    def _other_value(self, record, name):
        field = record._fields[name]
        current = record[name]
        if field.type in ("char", "text", "html"):
            return "Changed by a client"
        if field.type in ("integer",):
            return (current or 0) + 7
        if field.type in ("float", "monetary"):
            return (current or 0.0) + 7.5
        if field.type == "boolean":
            return not current
        if field.type == "date":
            return "2001-02-03"
        if field.type == "datetime":
            return "2001-02-03 04:05:06"
        if field.type == "selection":
            keys = [key for key, _label in field._description_selection(self.env)]
            return next(key for key in keys if key != current)
        if field.type == "many2one":
            return (
                self.env[field.comodel_name]
                .search([("id", "!=", current.id)], limit=1)
                .id
            )
        if field.type == "reference":
            return f"res.partner,{self.customer.id}"
        raise AssertionError(f"no test value for {record._name}.{name} ({field.type})")

    def test_every_stored_field_is_writable_by_design_or_refused(self):
        fields = self._addon_fields()
        models = {model for model, _name in fields}
        # the addon's models and the extended ones are all covered
        self.assertGreaterEqual(
            models,
            set(self.records)
            | {"product.template", "res.company", "mail.activity.type"},
        )
        checked = []
        for model, name in sorted(fields):
            if name in self.MAGIC or name in self.WRITABLE.get(model, ()):
                continue
            record = self.records.get(model)
            self.assertTrue(record, f"no record to try {model}.{name} on")
            record = record[:1]
            before = record[name]
            value = self._other_value(record, name)
            with self.subTest(field=f"{model}.{name}"):
                with (
                    mute_logger("odoo.http"),
                    self.assertRaises(
                        xmlrpc.client.Fault, msg=f"{model}.{name} was written"
                    ) as caught,
                ):
                    self.rpc(self.salesman, model, "write", record.ids, {name: value})
                self.env.invalidate_all()
                self.assertEqual(record[name], before)
                if name in server_owned_fields(self.env[model]):
                    self.assertServerOwnedRefusal(caught.exception, name)
            checked.append(f"{model}.{name}")
        # the server-owned fields of the order are among those refused
        for name in (
            "crm.order.name",
            "crm.order.status_category",
            "crm.order.amount_total",
            "crm.order.date_done",
            "crm.order.origin_order_id",
            "crm.order.recurrence.order_id",
            "crm.order.recurrence.company_id",
            "crm.order.line.company_id",
            "crm.order.tracking.user_id",
            "res.partner.crm_loyalty",
        ):
            self.assertIn(name, checked)

    def assertServerOwnedRefusal(self, fault, name):
        """The refusal names the field the server owns, not any other error."""
        self.assertIn("set by the server and cannot be written", fault.faultString)
        self.assertIn(f"({name})", fault.faultString)

    def test_no_record_is_created_with_a_server_owned_field(self):
        """Creating a record with a field the server owns is refused with the
        field's name, and nothing is created."""
        draft = self._create_order()
        # a recurring order without its recurrence yet
        bare = self._create_order(order_type_id=self.type_recurring.id)
        self.assertFalse(bare.recurrence_id)
        base_values = {
            "crm.order": {
                "partner_id": self.customer.id,
                "line_ids": [[0, 0, {"product_id": self.product.id}]],
            },
            "crm.order.line": {"order_id": draft.id, "product_id": self.product.id},
            "crm.order.recurrence": {"order_id": bare.id, "next_date": "2024-04-01"},
            "crm.order.tracking": {"order_id": draft.id, "kind": "call"},
            "crm.order.status.history": {
                "order_id": draft.id,
                "status_to_id": self.status_payment.id,
                "user_id": self.salesman.id,
                "date": "2024-01-01 00:00:00",
            },
            "crm.order.kpi.job": {},
            "res.partner": {"name": "Created by a client"},
        }
        checked = []
        for model, name in sorted(self._addon_fields()):
            if name not in server_owned_fields(self.env[model]):
                continue
            self.assertIn(model, base_values, f"no values to create {model} with")
            Model = self.env[model].with_context(active_test=False)
            count = Model.search_count([])
            value = self._other_value(self.records[model][:1], name)
            with self.subTest(field=f"{model}.{name}"):
                with (
                    mute_logger("odoo.http"),
                    self.assertRaises(
                        xmlrpc.client.Fault, msg=f"{model} was created with {name}"
                    ) as caught,
                ):
                    self.rpc(
                        self.salesman,
                        model,
                        "create",
                        {**base_values[model], name: value},
                    )
                self.assertServerOwnedRefusal(caught.exception, name)
                self.env.invalidate_all()
                self.assertEqual(Model.search_count([]), count)
            checked.append(f"{model}.{name}")
        for name in (
            "crm.order.name",
            "crm.order.status_category",
            "crm.order.amount_total",
            "crm.order.date_done",
            "crm.order.origin_order_id",
            "crm.order.recurrence.company_id",
            "crm.order.line.company_id",
            "crm.order.tracking.user_id",
            "crm.order.status.history.company_id",
            "crm.order.kpi.job.state",
            "res.partner.crm_loyalty",
        ):
            self.assertIn(name, checked)


@tagged("post_install", "-at_install")
class TestAttackerPaths(CrmOrderXmlrpcCase):
    """Ways around the rules found by an attacker's review, each closed."""

    def test_client_defaults_give_no_server_values(self):
        # default_<field> context keys (the web client's way) and ir.default
        order_id = self.rpc(
            self.salesman,
            "crm.order",
            "create",
            {
                "partner_id": self.customer.id,
                "line_ids": [[0, 0, {"product_id": self.product.id}]],
            },
            context={
                "default_rating": 5,
                "default_rating_date": "2024-02-02 00:00:00",
                "default_date_done": "2024-01-01 00:00:00",
                "default_date_confirmed": "2023-12-01 00:00:00",
                "default_date_status": "2030-01-01 00:00:00",
                "default_origin_order_id": self._create_order().id,
                "default_name": "FORGED-1",
            },
        )
        order = self.env["crm.order"].browse(order_id)
        self.assertEqual(order.rating, 0)
        self.assertFalse(order.rating_date or order.date_done or order.date_confirmed)
        self.assertFalse(order.origin_order_id)
        # numbered by the server (a returning customer's: the template above)
        self.assertTrue(order.name.startswith("RET/"), order.name)
        self.assertLess(order.date_status, fields.Datetime.to_datetime("2030-01-01"))
        field = self.env["ir.model.fields"]._get("crm.order", "date_done")
        self.rpc(
            self.salesman,
            "ir.default",
            "create",
            {
                "field_id": field.id,
                "json_value": '"2001-01-01 00:00:00"',
                "user_id": self.salesman.id,
            },
        )
        order_id = self.rpc(
            self.salesman, "crm.order", "create", {"partner_id": self.customer.id}
        )
        self.assertFalse(self.env["crm.order"].browse(order_id).date_done)

    def test_tracking_defaults_give_no_author_and_no_future(self):
        order = self._create_order()
        event_id = self.rpc(
            self.salesman,
            "crm.order.tracking",
            "create",
            {"order_id": order.id, "kind": "call"},
            context={
                "default_user_id": self.salesman_other.id,
                "default_activity_type_id": self.env.ref(
                    "mail.mail_activity_data_todo"
                ).id,
            },
        )
        event = self.env["crm.order.tracking"].browse(event_id)
        self.assertEqual(event.user_id, self.salesman)
        self.assertFalse(event.activity_type_id)
        self.assertRefused(
            "A tracking event cannot be in the future.",
            self.salesman,
            "crm.order.tracking",
            "create",
            {"order_id": order.id},
            context={"default_date": "2999-06-01 00:00:00"},
        )
        self.assertEqual(order.tracking_ids, event)

    def test_activity_moved_onto_another_order_logs_nothing_there(self):
        own = self._create_order()
        other = self._create_order(user=self.salesman_other)
        activity = own.with_user(self.salesman).activity_schedule(
            "mail.mail_activity_data_call", user_id=self.salesman.id
        )
        self.rpc(
            self.salesman,
            "mail.activity",
            "write",
            activity.ids,
            {"res_id": other.id},
        )
        self.rpc(self.salesman, "mail.activity", "action_feedback", activity.ids)
        self.assertFalse(other.tracking_ids)
        self.assertFalse(own.tracking_ids)

    def test_rating_links_of_other_companies_are_not_readable(self):
        company_b = self.env["res.company"].create({"name": "Lotus Branch B"})
        user_b = new_test_user(
            self.env,
            login="crm_order_token_b",
            groups="sales_team.group_sale_salesman_all_leads",
            company_id=company_b.id,
            company_ids=[(6, 0, company_b.ids)],
        )
        order = self._complete(self._create_order())
        token = order._rating_get_access_token()
        rating = order.rating_ids
        self.assertEqual(rating.access_token, token)
        found = self.rpc(
            user_b,
            "rating.rating",
            "search_read",
            [("res_model", "=", "crm.order")],
            fields=["res_id"],
        )
        self.assertNotIn(rating.id, [row["id"] for row in found])
        self.assertRefused(
            "Uh-oh", user_b, "rating.rating", "read", rating.ids, ["res_id"]
        )
        # the order's own salesperson reads the rating, not its link's token (the
        # customer's credential: administrators only)
        (row,) = self.rpc(
            self.salesman, "rating.rating", "read", rating.ids, ["res_id"]
        )
        self.assertEqual(row["res_id"], order.id)
        self.assertRefused(
            'You do not have enough rights to access the fields "access_token" '
            "on Rating (rating.rating).",
            self.salesman,
            "rating.rating",
            "read",
            rating.ids,
            ["access_token"],
        )

    def test_order_links_only_opportunities_the_user_reads(self):
        other_lead = self.env["crm.lead"].create(
            {
                "name": "Olga's deal",
                "type": "opportunity",
                "user_id": self.salesman_other.id,
            }
        )
        lead = self.env["crm.lead"].create(
            {"name": "A lead", "type": "lead", "user_id": self.salesman.id}
        )
        self.assertRefused(
            "Lead/Opportunity",
            self.salesman,
            "crm.order",
            "create",
            {"partner_id": self.customer.id, "opportunity_id": other_lead.id},
        )
        self.assertRefused(
            "linked to an opportunity, not to a lead",
            self.salesman,
            "crm.order",
            "create",
            {"partner_id": self.customer.id, "opportunity_id": lead.id},
        )
        self.assertFalse(
            self.env["crm.order"].search(
                [("opportunity_id", "in", (other_lead | lead).ids)]
            )
        )

    def test_cancelled_order_keeps_its_reason(self):
        order = self._cancel(self._create_order())
        self.assertRefused(
            "Give a cancel reason",
            self.salesman,
            "crm.order",
            "write",
            [order.id],
            {"status_id": self.status_cancelled.id, "cancel_reason_id": False},
        )
        self.assertEqual(order.cancel_reason_id, self.cancel_reason)

    def test_new_or_returning_is_decided_within_the_company(self):
        company_b = self.env["res.company"].create({"name": "Lotus Branch B"})
        user_ab = new_test_user(
            self.env,
            login="crm_order_type_ab",
            groups="sales_team.group_sale_salesman_all_leads",
            company_id=self.company.id,
            company_ids=[(6, 0, (self.company | company_b).ids)],
        )
        self._create_order()  # the customer's order in the main company
        order_b = self._create_order(user=user_ab, company_id=company_b.id)
        self.assertEqual(order_b.order_type_id, self.type_new)

    def test_order_keeps_products_of_its_company(self):
        company_b = self.env["res.company"].create({"name": "Lotus Branch B"})
        user_ab = new_test_user(
            self.env,
            login="crm_order_products_ab",
            groups="sales_team.group_sale_salesman_all_leads",
            company_id=self.company.id,
            company_ids=[(6, 0, (self.company | company_b).ids)],
        )
        product_a = self.env["product.product"].create(
            {"name": "Main company chair", "company_id": self.company.id}
        )
        order = self._create_order(user=user_ab, lines=[])
        order.line_ids = [self._line(product=product_a)]
        self.assertRefused(
            "Main company chair",
            user_ab,
            "crm.order",
            "write",
            [order.id],
            {"company_id": company_b.id},
            context={"allowed_company_ids": [self.company.id, company_b.id]},
        )
        self.assertEqual(order.company_id, self.company)

    def test_booleans_and_huge_numbers_are_refused(self):
        order = self._create_order()
        for vals, message in (
            ({"quantity": True}, "True is not a number."),
            ({"price_unit": 1e308}, "is not a number from -1,000,000,000,000,000"),
            (
                {"sequence": 1e12},
                "is not a whole number from -2147483648 to 2147483647",
            ),
        ):
            with self.subTest(vals=vals):
                self.assertRefused(
                    message,
                    self.salesman,
                    "crm.order.line",
                    "write",
                    order.line_ids.ids,
                    vals,
                )
        self.assertEqual(
            (order.line_ids.quantity, order.line_ids.price_unit), (1.0, 10.0)
        )


@tagged("post_install", "-at_install")
class TestClosedOrders(CrmOrderXmlrpcCase):
    """What the metrics counted stays as it was: the customer, date and type of a
    completed or cancelled order, a customer's first order as its only New
    Customer order, and the orders that went through the workflow."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.first = cls._create_order()
        cls.done = cls._complete(cls._create_order())
        cls.other_customer = cls.env["res.partner"].create({"name": "Ida Other"})

    def test_completed_order_header_is_fixed(self):
        before = (self.done.partner_id, self.done.date_order, self.done.order_type_id)
        for vals in (
            {"partner_id": self.other_customer.id},
            {"date_order": "2020-01-01 00:00:00"},
            {"order_type_id": self.type_competitor.id},
        ):
            with self.subTest(vals=vals):
                self.assertRefused(
                    "The customer, date and type of completed or cancelled orders "
                    f"cannot be changed ({self.done.name}).",
                    self.salesman,
                    "crm.order",
                    "write",
                    [self.done.id],
                    vals,
                )
        self.assertEqual(
            (self.done.partner_id, self.done.date_order, self.done.order_type_id),
            before,
        )
        # the same values, and another salesperson, are accepted
        self.rpc(
            self.manager,
            "crm.order",
            "write",
            [self.done.id],
            {
                "partner_id": self.customer.id,
                "order_type_id": self.done.order_type_id.id,
                "user_id": self.salesman_other.id,
            },
        )
        self.assertEqual(self.done.user_id, self.salesman_other)

    def test_new_customer_type_is_the_first_order_only(self):
        self.assertEqual(self.first.order_type_id, self.type_new)
        self.assertEqual(self.done.order_type_id, self.type_returning)
        count = self.env["crm.order"].search_count([])
        self.assertRefused(
            "Ben Private already has orders: only a customer's first order is a "
            "New Customer order",
            self.salesman,
            "crm.order",
            "create",
            {
                "partner_id": self.customer.id,
                "order_type_id": self.type_new.id,
                "line_ids": [[0, 0, {"product_id": self.product.id}]],
            },
        )
        self.assertEqual(self.env["crm.order"].search_count([]), count)
        draft = self._create_order()
        self.assertRefused(
            f"is a New Customer order ({draft.name})",
            self.salesman,
            "crm.order",
            "write",
            [draft.id],
            {"order_type_id": self.type_new.id},
        )
        self.assertEqual(draft.order_type_id, self.type_returning)
        # a new customer's order may be typed so, and the first one stays it
        new_id = self.rpc(
            self.salesman,
            "crm.order",
            "create",
            {"partner_id": self.other_customer.id, "order_type_id": self.type_new.id},
        )
        self.assertEqual(
            self.env["crm.order"].browse(new_id).order_type_id, self.type_new
        )

    def test_salesperson_deletes_only_untouched_drafts(self):
        cancelled = self._move(self._create_order(), self.status_payment)
        self._cancel(cancelled)
        self.assertRefused(
            "Orders that left draft keep their history for the metrics: only "
            f"sales managers delete them ({cancelled.display_name}).",
            self.salesman,
            "crm.order",
            "unlink",
            [cancelled.id],
        )
        # a draft cancelled at once: its cancellation counts in the metrics
        cancelled_draft = self._cancel(self._create_order())
        history = cancelled_draft.status_history_ids
        self.assertEqual(len(history), 2)
        self.assertRefused(
            "Orders that left draft keep their history for the metrics: only "
            f"sales managers delete them ({cancelled_draft.display_name}).",
            self.salesman,
            "crm.order",
            "unlink",
            [cancelled_draft.id],
        )
        self.assertTrue(cancelled_draft.exists())
        self.assertEqual(cancelled_draft.status_history_ids, history)
        draft = self._create_order()
        self.env["crm.order.tracking"].with_user(self.salesman_all).create(
            {"order_id": draft.id, "kind": "call", "summary": "Asked for a quote"}
        )
        self.assertRefused(
            "These orders hold other users' tracking events: only sales managers "
            f"delete them ({draft.display_name}).",
            self.salesman,
            "crm.order",
            "unlink",
            [draft.id],
        )
        self.assertTrue(cancelled.exists() and draft.exists())
        self.assertEqual(len(draft.tracking_ids), 1)
        own = self._create_order()
        self.rpc(self.salesman, "crm.order", "unlink", [own.id])
        self.assertFalse(own.exists())
        self.rpc(self.manager, "crm.order", "unlink", [cancelled.id, draft.id])
        self.assertFalse(cancelled.exists() or draft.exists())
