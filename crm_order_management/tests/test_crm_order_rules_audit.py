# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The second audit of the rules: each way around them, tried as an ordinary user
over XML-RPC (a sales manager where the rule is about what a manager configures),
checked for the refusal's message and for the database left unchanged."""

from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tests.common import new_test_user
from odoo.tools import mute_logger

from .common import CrmOrderCommon
from .test_crm_order_integrity import CrmOrderXmlrpcCase


@tagged("post_install", "-at_install")
class TestStatusCategoryInUse(CrmOrderXmlrpcCase):
    """A status's category is what the rules (locked lines, deletion, ratings) and
    the metrics read of the orders in it: it does not change once orders are in
    it or went through it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Status = cls.env["crm.order.status"]
        cls.checked = Status.create(
            {"name": "Checked", "category": "open", "sequence": 5}
        )
        cls.handed_over = Status.create(
            {"name": "Handed Over", "category": "done", "sequence": 45}
        )
        cls.env["crm.order.transition"].create(
            [
                {"from_status_id": cls.status_draft.id, "to_status_id": cls.checked.id},
                {
                    "from_status_id": cls.checked.id,
                    "to_status_id": cls.status_payment.id,
                },
                {
                    "from_status_id": cls.status_receipt.id,
                    "to_status_id": cls.handed_over.id,
                },
            ]
        )

    def _history_count(self):
        return self.env["crm.order.status.history"].search_count([])

    def test_category_of_a_status_orders_are_in_is_fixed(self):
        orders = [
            self._move(
                self._create_order(lines=[(2.0, 74.5, 0.0)]),
                self.status_payment,
                self.status_shipment,
                self.status_receipt,
                self.handed_over,
            )
            for _index in range(2)
        ]
        history = self._history_count()
        for category in ("draft", "cancel", "open"):
            with self.subTest(category=category):
                self.assertRefused(
                    "Status Handed Over is used by 2 order(s): its category cannot "
                    "change",
                    self.manager,
                    "crm.order.status",
                    "write",
                    [self.handed_over.id],
                    {"category": category},
                )
        self.assertEqual(self.handed_over.category, "done")
        self.assertEqual([order.status_category for order in orders], ["done"] * 2)
        self.assertEqual(self._history_count(), history)
        # the completed orders stay completed: their lines are locked
        self.assertRefused(
            "cannot be changed",
            self.salesman,
            "crm.order.line",
            "write",
            orders[0].line_ids.ids,
            {"price_unit": 0.5},
        )
        self.assertEqual(orders[0].amount_total, 149.0)
        # the same category, and the status's other settings, may be written
        self.rpc(
            self.manager,
            "crm.order.status",
            "write",
            [self.handed_over.id],
            {"category": "done", "name": "Handed Over in Person"},
        )
        self.assertEqual(self.handed_over.name, "Handed Over in Person")

    def test_category_of_a_status_in_the_history_is_fixed(self):
        order = self._move(self._create_order(), self.checked, self.status_payment)
        self.assertRefused(
            "Status Checked is used by 1 order(s): its category cannot change",
            self.manager,
            "crm.order.status",
            "write",
            [self.checked.id],
            {"category": "draft"},
        )
        self.assertEqual(self.checked.category, "open")
        self.assertEqual(
            order.status_history_ids.mapped("status_to_id.category"),
            ["open", "open", "draft"],
        )

    def test_category_of_an_unused_status_changes(self):
        self.rpc(
            self.manager,
            "crm.order.status",
            "write",
            [self.checked.id],
            {"category": "draft"},
        )
        self.assertEqual(self.checked.category, "draft")


@tagged("post_install", "-at_install")
class TestCompanyChecksOnEveryPath(CrmOrderXmlrpcCase):
    """The lines of an order moved to another company keep only products of that
    company, whatever else the same call changes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Lotus Branch B"})
        cls.user_ab = new_test_user(
            cls.env,
            login="crm_order_audit_ab",
            groups="sales_team.group_sale_salesman_all_leads",
            company_id=cls.company.id,
            company_ids=[(6, 0, (cls.company | cls.company_b).ids)],
        )
        cls.product_a = cls.env["product.product"].create(
            {"name": "Main company chair", "company_id": cls.company.id}
        )

    def test_company_and_status_in_one_call_check_the_lines(self):
        order = self._create_order(user=self.user_ab, user_id=False, lines=[])
        order.line_ids = [self._line(product=self.product_a)]
        history = order.status_history_ids
        self.assertRefused(
            "Main company chair",
            self.user_ab,
            "crm.order",
            "write",
            [order.id],
            {"company_id": self.company_b.id, "status_id": self.status_payment.id},
            context={"allowed_company_ids": [self.company.id, self.company_b.id]},
        )
        self.assertEqual(
            (order.company_id, order.status_id, order.line_ids.company_id),
            (self.company, self.status_draft, self.company),
        )
        self.assertEqual(order.status_history_ids, history)


@tagged("post_install", "-at_install")
class TestOneNewCustomerOrder(CrmOrderXmlrpcCase):
    """A customer has one New Customer order, its first one (cancelled ones
    aside), also when a cancelled order is reopened or an order changes customer
    (tests/test_new_customer_concurrency.py runs these in two transactions)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.nina = cls.env["res.partner"].create({"name": "Nina New"})
        cls.yara = cls.env["res.partner"].create({"name": "Yara Young"})

    def test_reopening_a_cancelled_first_order_is_refused(self):
        first = self._cancel(self._create_order(partner=self.nina))
        second = self._create_order(partner=self.nina)
        self.assertEqual(
            (first.order_type_id, second.order_type_id), (self.type_new, self.type_new)
        )
        history = first.status_history_ids
        self.assertRefused(
            f"{first.name} cannot be reopened: Nina New has another New Customer "
            f"order ({second.name}), and only a customer's first order is a New "
            "Customer order.",
            self.manager,
            "crm.order",
            "action_set_status",
            [first.id],
            self.status_draft.id,
        )
        self.assertEqual(
            (first.status_id, first.cancel_reason_id),
            (self.status_cancelled, self.cancel_reason),
        )
        self.assertEqual(first.status_history_ids, history)
        # once the later order is a returning customer's, the first one reopens
        self.rpc(
            self.salesman,
            "crm.order",
            "write",
            [second.id],
            {"order_type_id": self.type_returning.id},
        )
        self.rpc(
            self.manager,
            "crm.order",
            "action_set_status",
            [first.id],
            self.status_draft.id,
        )
        self.env.invalidate_all()
        self.assertEqual(
            (first.status_id, first.order_type_id), (self.status_draft, self.type_new)
        )

    def test_changing_the_customer_keeps_one_new_customer_order(self):
        older = self._create_order(partner=self.nina)
        newer = self._create_order(partner=self.yara)
        self.assertEqual(
            (older.order_type_id, newer.order_type_id), (self.type_new, self.type_new)
        )
        self.assertRefused(
            "Yara Young already has orders: only a customer's first order is a New "
            f"Customer order ({newer.name}).",
            self.salesman,
            "crm.order",
            "write",
            [older.id],
            {"partner_id": self.yara.id},
        )
        self.assertEqual(older.partner_id, self.nina)
        self.assertEqual(
            self.env["crm.order"].search_count(
                [
                    ("partner_id", "=", self.yara.id),
                    ("order_type_id", "=", self.type_new.id),
                ]
            ),
            1,
        )

    def test_an_older_conflict_blocks_no_other_order(self):
        # a history import (which the rule does not check) left Nina two New
        # Customer orders; her other orders are not blocked by that
        importing = self.env["crm.order"].with_context(crm_order_import=True)
        first, second = (
            importing.create(
                {"partner_id": self.nina.id, "order_type_id": self.type_new.id}
            )
            for _i in range(2)
        )
        self.assertEqual(second.order_type_id, self.type_new)
        third_id = self.rpc(
            self.salesman, "crm.order", "create", {"partner_id": self.nina.id}
        )
        third = self.env["crm.order"].browse(third_id)
        self.assertEqual(third.order_type_id, self.type_returning)
        self.rpc(
            self.salesman,
            "crm.order",
            "write",
            [third_id],
            {"partner_id": self.yara.id},
        )
        self.assertEqual(
            (third.partner_id, third.order_type_id), (self.yara, self.type_returning)
        )
        # the misplaced order itself is still refused when it is the one changed
        self.assertRefused(
            "Nina New already has orders: only a customer's first order is a New "
            f"Customer order ({second.name}).",
            self.manager,
            "crm.order",
            "write",
            [second.id],
            {"order_type_id": self.type_new.id},
        )
        self.assertEqual(
            (first.order_type_id, second.order_type_id), (self.type_new, self.type_new)
        )


@tagged("post_install", "-at_install")
class TestCustomerRatingIsTheCustomers(CrmOrderXmlrpcCase):
    """Once the customer rated an order (the rating link, the portal), only a sales
    manager changes or removes that rating."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the customer's rating is posted in the chatter, from the customer
        cls.customer.email = "ben.private@example.com"
        cls.order = cls._complete(cls._create_order())
        token = cls.order._rating_get_access_token()
        # as the public controller of the rating link does
        cls.order.with_user(cls.env.ref("base.public_user")).sudo().rating_apply(
            5, token=token, feedback="Perfect desk"
        )
        cls.rating = cls.order.rating_ids.filtered("consumed")

    def _assert_customer_rating(self, rating=5, feedback="Perfect desk"):
        self.assertEqual(
            (self.order.rating, self.order.rating_comment), (rating, feedback)
        )
        self.assertEqual(self.order.rating_ids.filtered("consumed"), self.rating)
        self.assertEqual(
            (self.rating.rating, self.rating.feedback, self.rating.partner_id),
            (float(rating), feedback, self.customer),
        )
        self.assertEqual(self.rating.message_id.author_id, self.customer)

    def test_salesperson_cannot_change_or_remove_the_customer_rating(self):
        self._assert_customer_rating()
        refusal = (
            f"The customer rated {self.order.name} themselves: only a sales manager "
            "can change or remove the customer's rating."
        )
        model_id = self.env["ir.model"]._get_id("crm.order")
        for model, method, args in (
            ("crm.order", "write", ([self.order.id], {"rating": 1})),
            ("crm.order", "write", ([self.order.id], {"rating_comment": "Meh"})),
            ("crm.order", "write", ([self.order.id], {"rating": 0})),
            ("crm.order", "action_rate", ([self.order.id], 2, "On the phone")),
            ("rating.rating", "write", (self.rating.ids, {"rating": 1})),
            ("rating.rating", "write", (self.rating.ids, {"consumed": False})),
            ("rating.rating", "unlink", (self.rating.ids,)),
            # the customer's message in the chatter carries the rating
            ("mail.message", "unlink", (self.rating.message_id.ids,)),
            (
                "mail.message",
                "write",
                (
                    self.rating.message_id.ids,
                    {"author_id": self.salesman.partner_id.id},
                ),
            ),
            # a rating of the salesperson's own would replace it as the order's
            (
                "rating.rating",
                "create",
                (
                    {
                        "res_model_id": model_id,
                        "res_id": self.order.id,
                        "partner_id": self.salesman.partner_id.id,
                        "rating": 1,
                        "consumed": True,
                    },
                ),
            ),
        ):
            with self.subTest(model=model, method=method, args=args):
                self.assertRefused(refusal, self.salesman, model, method, *args)
                self._assert_customer_rating()
        # no rating besides the customer's: none of the salesperson's, and the
        # Completed e-mail, sent once the order was rated, asks for none
        self.assertEqual(self.order.rating_ids, self.rating)
        completed_mails = self.env["mail.mail"].search(
            [
                ("model", "=", "crm.order"),
                ("res_id", "=", self.order.id),
                ("recipient_ids", "in", self.customer.ids),
            ]
        )
        self.assertEqual(len(completed_mails), 1)
        self.assertIn("is completed", completed_mails.body_html)
        self.assertNotIn("/rate/", completed_mails.body_html)

    def test_customer_and_sales_manager_change_the_customer_rating(self):
        # the customer changes their mind through the same link
        self.order.with_user(self.env.ref("base.public_user")).sudo().rating_apply(
            4, token=self.rating.access_token, feedback="Good desk"
        )
        self._assert_customer_rating(4, "Good desk")
        self.rpc(self.manager, "crm.order", "write", [self.order.id], {"rating": 3})
        self.env.invalidate_all()
        self._assert_customer_rating(3, "Good desk")
        self.rpc(self.manager, "crm.order", "write", [self.order.id], {"rating": 0})
        self.env.invalidate_all()
        self.assertEqual(self.order.rating, 0)
        self.assertFalse(self.rating.exists())

    def test_salesperson_cannot_rate_in_the_customer_stead(self):
        order = self._complete(self._create_order())
        token = order._rating_get_access_token()
        # the salesperson cannot read the rating link of their order (the public
        # rating page would take it as the customer's) ...
        for domain, fields in (
            ([("res_id", "=", order.id)], ["access_token"]),
            ([("access_token", "=", token)], ["rating"]),
        ):
            with self.subTest(domain=domain, fields=fields):
                self.assertRefused(
                    'You do not have enough rights to access the fields "access_token" '
                    "on Rating (rating.rating).",
                    self.salesman,
                    "rating.rating",
                    "search_read",
                    domain,
                    fields=fields,
                )
        # ... nor rate with it over XML-RPC, had they got it another way
        self.assertRefused(
            'You do not have enough rights to access the fields "access_token" '
            "on Rating (rating.rating).",
            self.salesman,
            "crm.order",
            "rating_apply",
            [order.id],
            5,
            token=token,
        )
        self.assertEqual(order.rating, 0)
        self.assertFalse(order.rating_ids.filtered("consumed"))
        self.assertFalse(
            order.message_ids.filtered(lambda m: m.author_id == self.customer)
        )

    def test_salesperson_changes_a_rating_the_customer_did_not_give(self):
        order = self._complete(self._create_order())
        self.rpc(self.salesman, "crm.order", "action_rate", [order.id], 4, "Phone")
        self.rpc(self.salesman, "crm.order", "action_rate", [order.id], 3, "Phone")
        self.env.invalidate_all()
        self.assertEqual((order.rating, order.rating_comment), (3, "Phone"))
        self.rpc(self.salesman, "crm.order", "write", [order.id], {"rating": 0})
        self.env.invalidate_all()
        self.assertEqual(order.rating, 0)


@tagged("post_install", "-at_install")
class TestRecurringCronSurvivesErrors(CrmOrderCommon):
    """Whatever fails in one recurring order, the scheduled action notes it there
    and generates the others' orders."""

    def test_unexpected_error_of_one_template_does_not_stop_the_cron(self):
        broken_type = self.env["crm.order.type"].create(
            {
                "name": "Renumbered",
                "code": "RNB",
                "sequence_prefix": "RNB/",
                "is_recurring": True,
                "company_id": self.company.id,
            }
        )
        broken = self._create_order(
            order_type_id=broken_type.id,
            recurrence_unit="day",
            recurrence_next_date="2024-03-01",
        )
        healthy = self._create_order(
            order_type_id=self.type_recurring.id,
            recurrence_unit="day",
            recurrence_next_date="2024-03-01",
        )
        self.assertEqual(broken.name, "RNB/00001")
        # the type's numbering was set back: its next number is the template's
        broken_type.sequence_id.number_next = 1
        logger = "odoo.addons.crm_order_management.models.crm_order"
        with (
            freeze_time("2024-03-01 08:00:00"),
            mute_logger("odoo.sql_db"),
            self.assertLogs(logger, "ERROR") as logged,
        ):
            created = self.env["crm.order"]._cron_generate_recurring_orders()
        self.assertEqual(created, 1)
        self.assertEqual(
            healthy.generated_order_ids.recurrence_occurrence_date, date(2024, 3, 1)
        )
        self.assertEqual(healthy.recurrence_next_date, date(2024, 3, 2))
        self.assertFalse(broken.generated_order_ids)
        self.assertEqual(broken.recurrence_next_date, date(2024, 3, 1))
        self.assertIn("Recurring order RNB/00001", logged.output[0])
        note = broken.message_ids[0]
        self.assertIn("could not generate the next orders", note.body)
        self.assertIn("crm_order_name_company_uniq", note.body)
