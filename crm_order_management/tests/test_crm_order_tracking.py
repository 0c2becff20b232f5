# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import CrmOrderCommon


@tagged("post_install", "-at_install")
class TestCrmOrderTrackingLog(CrmOrderCommon):
    """A salesperson logs the follow-up of an order: calls, e-mails, checks."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls._create_order(user=cls.salesman)
        cls.Tracking = cls.env["crm.order.tracking"]

    def test_event_logged_with_the_form(self):
        with freeze_time("2026-03-10 09:30:00"):
            form = Form(self.Tracking.with_user(self.salesman))
            form.order_id = self.order
            form.kind = "email"
            form.summary = "Sent the quotation again"
            event = form.save()
        self.assertEqual(event.order_id, self.order)
        self.assertEqual(event.user_id, self.salesman)
        self.assertEqual(event.date, fields.Datetime.to_datetime("2026-03-10 09:30:00"))
        self.assertEqual(event.kind, "email")
        self.assertEqual(event.summary, "Sent the quotation again")
        self.assertEqual(event.company_id, self.company)
        self.assertEqual(self.order.tracking_count, 1)

    def test_event_logged_with_create_defaults_to_self_now_and_call(self):
        with freeze_time("2026-03-10 09:30:00"):
            event = self.Tracking.with_user(self.salesman).create(
                {"order_id": self.order.id}
            )
        self.assertEqual(event.user_id, self.salesman)
        self.assertEqual(event.date, fields.Datetime.to_datetime("2026-03-10 09:30:00"))
        self.assertEqual(event.kind, "call")
        self.assertEqual(self.order.tracking_ids, event)

    def test_event_logged_in_the_past_under_own_name(self):
        with freeze_time("2026-03-10 09:30:00"):
            event = self.Tracking.with_user(self.salesman).create(
                {
                    "order_id": self.order.id,
                    "user_id": self.salesman.id,
                    "date": "2026-03-09 16:00:00",
                    "kind": "delivery_check",
                    "summary": "Goods arrived undamaged",
                }
            )
        self.assertEqual(event.date, fields.Datetime.to_datetime("2026-03-09 16:00:00"))
        self.assertEqual(event.kind, "delivery_check")

    def test_logging_for_another_user_is_refused(self):
        with self.assertRaises(UserError):
            self.Tracking.with_user(self.salesman).create(
                {"order_id": self.order.id, "user_id": self.salesman_other.id}
            )
        self.assertFalse(self.order.tracking_ids)

    def test_logging_in_the_future_is_refused(self):
        with freeze_time("2026-03-10 09:30:00"), self.assertRaises(UserError):
            self.Tracking.with_user(self.salesman).create(
                {"order_id": self.order.id, "date": "2026-03-10 09:31:00"}
            )
        self.assertFalse(self.order.tracking_ids)

    def test_event_cannot_be_given_to_another_user(self):
        event = self.Tracking.with_user(self.salesman).create(
            {"order_id": self.order.id}
        )
        with self.assertRaises(UserError):
            event.with_user(self.salesman).write({"user_id": self.salesman_other.id})
        self.assertEqual(event.user_id, self.salesman)

    def test_event_cannot_be_moved_to_the_future(self):
        with freeze_time("2026-03-10 09:30:00"):
            event = self.Tracking.with_user(self.salesman).create(
                {"order_id": self.order.id}
            )
            with self.assertRaises(UserError):
                event.with_user(self.salesman).write({"date": "2026-03-11 09:30:00"})
        self.assertEqual(event.date, fields.Datetime.to_datetime("2026-03-10 09:30:00"))

    def test_superuser_imports_events_of_other_users(self):
        # historical imports (and the metrics' test scenarios) name the user
        event = self.Tracking.with_context(crm_order_import=True).create(
            {
                "order_id": self.order.id,
                "user_id": self.salesman_other.id,
                "date": "2024-03-05 09:00:00",
            }
        )
        self.assertEqual(event.user_id, self.salesman_other)


@tagged("post_install", "-at_install")
class TestCrmOrderTrackingFromActivities(CrmOrderCommon):
    """An activity on an order marked done becomes a tracking event."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls._create_order(user=cls.salesman)

    def _schedule(self, xmlid, summary="", user=None):
        activity = self.order.with_user(self.salesman).activity_schedule(
            xmlid, summary=summary, user_id=(user or self.salesman).id
        )
        return activity.with_env(self.env)

    def _mark_done(self, activity, feedback, user=None):
        with freeze_time("2026-03-10 15:00:00"):
            activity.with_user(user or self.salesman).action_feedback(feedback=feedback)
        return self.order.tracking_ids

    def test_done_call_is_logged_as_call(self):
        activity = self._schedule("mail.mail_activity_data_call", "Call about payment")
        event = self._mark_done(activity, "Will pay on Friday")
        self.assertEqual(len(event), 1)
        self.assertEqual(event.kind, "call")
        self.assertEqual(
            event.activity_type_id, self.env.ref("mail.mail_activity_data_call")
        )
        self.assertEqual(event.user_id, self.salesman)
        self.assertEqual(event.date, fields.Datetime.to_datetime("2026-03-10 15:00:00"))
        self.assertFalse(activity.exists().filtered("active"))

    def test_done_email_is_logged_as_email(self):
        activity = self._schedule("mail.mail_activity_data_email", "Send the invoice")
        self.assertEqual(self._mark_done(activity, "Sent").kind, "email")

    def test_done_delivery_check_is_logged_as_delivery_check(self):
        activity = self._schedule(
            "crm_order_management.mail_activity_type_delivery_check"
        )
        self.assertEqual(
            self._mark_done(activity, "Delivered complete").kind, "delivery_check"
        )

    def test_done_todo_is_logged_as_other(self):
        activity = self._schedule("mail.mail_activity_data_todo", "Prepare samples")
        self.assertEqual(self._mark_done(activity, False).kind, "other")

    def test_summary_is_activity_summary_and_feedback(self):
        activity = self._schedule("mail.mail_activity_data_call", "Call about payment")
        event = self._mark_done(activity, "Will pay on Friday")
        self.assertEqual(event.summary, "Call about payment\nWill pay on Friday")

    def test_summary_defaults_to_the_activity_type_summary(self):
        # the delivery check type has a default summary
        activity = self._schedule(
            "crm_order_management.mail_activity_type_delivery_check"
        )
        event = self._mark_done(activity, "Delivered complete")
        self.assertEqual(
            event.summary, "Check the delivery with the customer\nDelivered complete"
        )

    def test_summary_without_summary_or_feedback_is_the_type_name(self):
        activity = self._schedule("mail.mail_activity_data_todo")
        self.assertEqual(self._mark_done(activity, False).summary, "To-Do")

    def test_event_user_is_who_marked_the_activity_done(self):
        # scheduled for the salesman, done by an all-documents user
        activity = self._schedule("mail.mail_activity_data_call", "Call")
        event = self._mark_done(activity, "Done for Sam", user=self.salesman_all)
        self.assertEqual(event.user_id, self.salesman_all)

    def test_done_activity_on_another_model_logs_nothing(self):
        Tracking = self.env["crm.order.tracking"]
        before = Tracking.search_count([])
        partner = self.customer.with_user(self.salesman)
        activity = partner.activity_schedule(
            "mail.mail_activity_data_call", user_id=self.salesman.id
        )
        activity.action_feedback(feedback="Called")
        self.assertEqual(Tracking.search_count([]), before)


@tagged("post_install", "-at_install")
class TestCrmOrderTrackingIsolation(CrmOrderCommon):
    """Salespeople see the tracking events of their own and unassigned orders."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order_own = cls._create_order(user=cls.salesman)
        cls.order_other = cls._create_order(user=cls.salesman_other)
        Tracking = cls.env["crm.order.tracking"]
        cls.event_own = Tracking.with_user(cls.salesman).create(
            {"order_id": cls.order_own.id}
        )
        cls.event_other = Tracking.with_user(cls.salesman_other).create(
            {"order_id": cls.order_other.id}
        )
        cls.events = cls.event_own | cls.event_other

    def _visible(self, user):
        return (
            self.env["crm.order.tracking"]
            .with_user(user)
            .search([("id", "in", self.events.ids)])
            .with_env(self.env)
        )

    def test_salesman_sees_events_of_own_orders_only(self):
        self.assertEqual(self._visible(self.salesman), self.event_own)

    def test_salesman_cannot_read_events_of_other_orders(self):
        with self.assertRaises(AccessError):
            self.event_other.with_user(self.salesman).read(["summary"])

    def test_salesman_cannot_log_events_on_other_orders(self):
        with self.assertRaises(AccessError):
            self.env["crm.order.tracking"].with_user(self.salesman).create(
                {"order_id": self.order_other.id}
            )
        self.assertEqual(self.order_other.tracking_ids, self.event_other)

    def test_all_documents_user_sees_every_event(self):
        self.assertEqual(self._visible(self.salesman_all), self.events)
        self.assertEqual(self._visible(self.manager), self.events)

    def test_salesman_changes_and_deletes_own_events(self):
        event = self.event_own.with_user(self.salesman)
        event.write({"summary": "Left a voicemail"})
        self.assertEqual(self.event_own.summary, "Left a voicemail")
        event.unlink()
        self.assertFalse(self.event_own.exists())

    def test_salesman_cannot_change_or_delete_events_logged_by_others(self):
        # logged on the salesman's own order by an all-documents user: visible to
        # the salesman, but not theirs to change
        event = (
            self.env["crm.order.tracking"]
            .with_user(self.salesman_all)
            .create({"order_id": self.order_own.id, "summary": "Called the customer"})
        )
        self.assertEqual(self._visible_event(self.salesman, event), event)
        with self.assertRaises(AccessError):
            event.with_user(self.salesman).write({"summary": "Mine now"})
        with self.assertRaises(AccessError):
            event.with_user(self.salesman).unlink()
        self.assertEqual(event.summary, "Called the customer")

    def _visible_event(self, user, event):
        return (
            self.env["crm.order.tracking"]
            .with_user(user)
            .search([("id", "=", event.id)])
            .with_env(self.env)
        )

    def test_manager_deletes_events(self):
        self.event_other.with_user(self.manager).unlink()
        self.assertFalse(self.event_other.exists())
