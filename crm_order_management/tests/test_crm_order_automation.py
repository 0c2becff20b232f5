# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import CrmOrderCommon


@tagged("post_install", "-at_install")
class TestCrmOrderAutomation(CrmOrderCommon):
    """Activities scheduled and emails sent when orders enter a status."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.todo = cls.env.ref("mail.mail_activity_data_todo")
        cls.call = cls.env.ref("mail.mail_activity_data_call")
        cls.template_completed = cls.env.ref(
            "crm_order_management.mail_template_order_completed"
        )
        cls.customer.email = "ben.private@example.com"
        cls.customer_company.email = "info@lotus.example.com"
        cls.salesman.email = "sam.salesman@example.com"

    def _activities(self, orders):
        return self.env["mail.activity"].search(
            [("res_model", "=", "crm.order"), ("res_id", "in", orders.ids)],
            order="res_id, id",
        )

    def _mails(self, orders):
        """Emails to the customers (not the notifications of the activities
        assigned to other users)."""
        self._flush_tracking()
        return self.env["mail.mail"].search(
            [
                ("model", "=", "crm.order"),
                ("res_id", "in", orders.ids),
                ("recipient_ids", "in", orders.partner_id.ids),
            ],
            order="res_id, id",
        )

    def _comments(self, order):
        """Messages of the order's chatter sent to its followers and recipients."""
        self._flush_tracking()
        comment = self.env.ref("mail.mt_comment")
        return order.message_ids.filtered(lambda m: m.subtype_id == comment)

    # ------------------------------------------------------------
    # ACTIVITIES
    # ------------------------------------------------------------

    @freeze_time("2024-03-15 10:00:00")
    def test_entering_shipment_schedules_activity_for_salesperson(self):
        order = self._move(self._create_order(), self.status_payment)
        self.assertFalse(self._activities(order))
        self._move(order, self.status_shipment)
        activity = self._activities(order)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.activity_type_id, self.todo)
        self.assertEqual(activity.summary, "Prepare the shipment")
        # entered on 15 March, 1 day to do it
        self.assertEqual(activity.date_deadline, date(2024, 3, 16))
        self.assertEqual(activity.user_id, self.salesman)

    def test_automation_activity_ends_with_its_status(self):
        order = self._move(
            self._create_order(), self.status_payment, self.status_shipment
        )
        # planned by the salesperson in the chatter, of the same type
        planned = (
            self.env["mail.activity"]
            .with_user(self.salesman)
            .create(
                {
                    "res_model_id": self.env["ir.model"]._get_id("crm.order"),
                    "res_id": order.id,
                    "activity_type_id": self.todo.id,
                    "summary": "Ask about the invoice address",
                    "user_id": self.salesman.id,
                }
            )
            .with_env(self.env)
        )
        self.assertEqual(len(self._activities(order)), 2)
        self._move(order, self.status_receipt)
        # "Prepare the shipment" went with Awaiting Shipment; the user's own stays
        self.assertEqual(self._activities(order), planned)
        self._move(order, self.status_completed)
        self.assertEqual(self._activities(order), planned)

    def test_activity_for_salesperson_when_another_user_moves_order(self):
        order = self._move(self._create_order(), self.status_payment)
        self._move(order, self.status_shipment, user=self.manager)
        self.assertEqual(self._activities(order).user_id, self.salesman)

    def test_activity_for_current_user_when_order_has_no_salesperson(self):
        order = self._move(self._create_order(), self.status_payment)
        order.user_id = False
        self._move(order, self.status_shipment, user=self.manager)
        self.assertEqual(self._activities(order).user_id, self.manager)

    @freeze_time("2024-03-15 10:00:00")
    def test_activity_for_named_user_with_status_settings(self):
        self.status_payment.write(
            {
                "activity_type_id": self.call.id,
                "activity_summary": "Remind the customer to pay",
                "activity_deadline_days": 0,
                "activity_user_type": "user",
                "activity_user_id": self.salesman_all.id,
            }
        )
        order = self._move(self._create_order(), self.status_payment)
        activity = self._activities(order)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.activity_type_id, self.call)
        self.assertEqual(activity.summary, "Remind the customer to pay")
        self.assertEqual(activity.date_deadline, date(2024, 3, 15))
        self.assertEqual(activity.user_id, self.salesman_all)

    def test_named_user_required(self):
        with self.assertRaises(ValidationError):
            self.status_payment.write(
                {"activity_type_id": self.call.id, "activity_user_type": "user"}
            )

    def test_negative_deadline_refused(self):
        with (
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.cr.savepoint(),
        ):
            self.status_payment.write(
                {"activity_type_id": self.call.id, "activity_deadline_days": -1}
            )
            self.status_payment.flush_recordset()

    # ------------------------------------------------------------
    # EMAILS
    # ------------------------------------------------------------

    def test_completed_order_queues_mail_to_customer(self):
        order = self._move(
            self._create_order(),
            self.status_payment,
            self.status_shipment,
            self.status_receipt,
        )
        self.assertFalse(self._mails(order))
        self._move(order, self.status_completed)
        mail = self._mails(order)
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.state, "outgoing")
        self.assertEqual(mail.recipient_ids, self.customer)
        self.assertEqual(
            mail.subject, f"{self.company.name} - Your order {order.name} is completed"
        )
        self.assertEqual(mail.email_from, self.salesman.email_formatted)
        self.assertIn("Ben Private", mail.body_html)
        # and in the chatter, as a message to the customer
        message = self._comments(order)
        self.assertEqual(len(message), 1)
        self.assertEqual(message, mail.mail_message_id)
        self.assertEqual(message.partner_ids, self.customer)
        self.assertEqual(message.subtype_id, self.env.ref("mail.mt_comment"))

    def _complete_as(self, user):
        order = self._create_order(user=user)
        order.with_user(user).write({"user_id": user.id})
        return self._complete(order, user=user)

    def test_user_without_email_completes_order_mail_sent_by_company(self):
        # The salesperson has no e-mail address: the status change must not fail;
        # the company (which has one) sends the e-mail.
        self.salesman_other.partner_id.email = False
        self.company.partner_id.email = "orders@company.example.com"
        order = self._complete_as(self.salesman_other)
        self.assertEqual(order.status_id, self.status_completed)
        mail = self._mails(order)
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.author_id, self.company.partner_id)
        self.assertEqual(mail.email_from, self.company.partner_id.email_formatted)

    def test_no_sender_email_completes_order_and_logs_why(self):
        self.salesman_other.partner_id.email = False
        self.company.partner_id.email = False
        order = self._complete_as(self.salesman_other)
        self.assertEqual(order.status_id, self.status_completed)
        self.assertFalse(self._mails(order))
        self.assertIn(
            "was not sent: neither you, the salesperson nor the company has an "
            "e-mail address",
            order.message_ids[0].body,
        )

    def test_mail_for_status_template(self):
        self.status_payment.mail_template_id = self.template_completed
        order = self._move(
            self._create_order(self.customer_company), self.status_payment
        )
        mail = self._mails(order)
        self.assertEqual(mail.recipient_ids, self.customer_company)
        self.assertEqual(mail.state, "outgoing")

    def test_tracking_disabled_sends_no_status_mail(self):
        # The status e-mail is Odoo's stage template: no tracking, no e-mail.
        order = self._move(
            self._create_order(),
            self.status_payment,
            self.status_shipment,
            self.status_receipt,
        )
        self._flush_tracking()
        order.with_user(self.salesman).with_context(
            tracking_disable=True
        ).action_set_status(self.status_completed.id)
        self.assertEqual(order.status_id, self.status_completed)
        self.assertFalse(self._mails(order))
        self.assertFalse(self._comments(order))

    def test_history_import_sends_no_status_mail(self):
        order = self._move(
            self._create_order(),
            self.status_payment,
            self.status_shipment,
            self.status_receipt,
        )
        self._flush_tracking()
        order.with_context(crm_order_import=True).write(
            {"status_id": self.status_completed.id}
        )
        self.assertEqual(order.status_id, self.status_completed)
        self.assertFalse(self._mails(order))

    def test_template_of_another_model_refused(self):
        template = self.env["mail.template"].create(
            {"name": "Partner", "model_id": self.env.ref("base.model_res_partner").id}
        )
        with self.assertRaises(ValidationError):
            self.status_payment.mail_template_id = template

    # ------------------------------------------------------------
    # NO AUTOMATION
    # ------------------------------------------------------------

    def test_status_without_automation_does_nothing(self):
        order = self._create_order()
        self._move(order, self.status_payment, self.status_cancelled)
        self.assertFalse(self._activities(order))
        self.assertFalse(self._mails(order))
        self.assertFalse(self._comments(order))

    def test_creation_in_draft_does_nothing(self):
        order = self._create_order()
        self.assertFalse(self._activities(order))
        self.assertFalse(self._mails(order))

    def test_creation_runs_automation_of_first_status(self):
        self.status_draft.write(
            {"activity_type_id": self.call.id, "activity_summary": "Call the customer"}
        )
        order = self._create_order()
        self.assertEqual(self._activities(order).summary, "Call the customer")

    def test_saving_same_status_does_nothing(self):
        order = self._move(
            self._create_order(), self.status_payment, self.status_shipment
        )
        order.write({"status_id": self.status_shipment.id})
        self.assertEqual(len(self._activities(order)), 1)

    def test_superuser_import_skips_automation(self):
        order = self._move(self._create_order(), self.status_payment)
        order.with_context(crm_order_import=True).write(
            {"status_id": self.status_shipment.id}
        )
        self.assertFalse(self._activities(order))

    def test_skip_key_ignored_for_users(self):
        order = self._move(self._create_order(), self.status_payment)
        order.with_user(self.salesman).with_context(
            crm_order_import=True
        ).action_set_status(self.status_shipment.id)
        self.assertEqual(len(self._activities(order)), 1)

    # ------------------------------------------------------------
    # BATCH
    # ------------------------------------------------------------

    @freeze_time("2024-03-15 10:00:00")
    def test_batch_of_orders_entering_statuses(self):
        mine = [self._create_order() for _ in range(2)]
        other = self._create_order(user=self.salesman_other)
        orders = self.env["crm.order"].concat(*mine, other)
        for status in (self.status_payment, self.status_shipment):
            orders.write({"status_id": status.id})
        activities = self._activities(orders)
        self.assertEqual(len(activities), 3)
        self.assertEqual(activities.mapped("res_id"), orders.sorted("id").ids)
        self.assertEqual(
            activities.mapped("user_id"), self.salesman | self.salesman_other
        )
        self.assertEqual(
            [a.user_id for a in activities],
            [self.salesman, self.salesman, self.salesman_other],
        )
        self.assertEqual(set(activities.mapped("date_deadline")), {date(2024, 3, 16)})
        orders.write({"status_id": self.status_receipt.id})
        orders.write({"status_id": self.status_completed.id})
        mails = self._mails(orders)
        self.assertEqual(len(mails), 3)
        self.assertEqual(set(mails.mapped("state")), {"outgoing"})
        self.assertEqual(mails.mapped("res_id"), orders.sorted("id").ids)
        for order in orders:
            self.assertEqual(len(self._comments(order)), 1)
