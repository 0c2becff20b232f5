# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CrmOrderCommon


@tagged("post_install", "-at_install")
class TestCrmOrderWorkflow(CrmOrderCommon):
    """Status transitions allowed per group and per order type, and the dates
    they set."""

    def _transitions(self, order, user):
        return order.with_user(user).get_allowed_transitions()

    def _dict(self, status):
        return {"id": status.id, "name": status.name, "category": status.category}

    # ------------------------------------------------------------
    # ALLOWED TRANSITIONS
    # ------------------------------------------------------------

    def test_salesman_follows_main_chain_to_completed(self):
        order = self._create_order()
        self.assertEqual(order.status_id, self.status_draft)
        for status in (
            self.status_payment,
            self.status_shipment,
            self.status_receipt,
            self.status_completed,
        ):
            self._move(order, status)
            self.assertEqual(order.status_id, status)
        self.assertEqual(order.status_category, "done")

    def test_salesman_can_cancel_open_order(self):
        order = self._move(self._create_order(), self.status_payment)
        action = order.with_user(self.salesman).action_cancel()
        self.assertEqual(action["res_model"], "crm.order.cancel")
        wizard = (
            self.env["crm.order.cancel"]
            .with_user(self.salesman)
            .with_context(**action["context"])
            .create({"cancel_reason_id": self.cancel_reason.id})
        )
        wizard.action_confirm()
        self.assertEqual(order.status_id, self.status_cancelled)
        self.assertEqual(order.cancel_reason_id, self.cancel_reason)

    def test_next_button_moves_to_next_open_status(self):
        order = self._create_order()
        order.with_user(self.salesman).action_next_status()
        self.assertEqual(order.status_id, self.status_payment)
        order.with_user(self.salesman).action_next_status()
        self.assertEqual(order.status_id, self.status_shipment)

    def test_allowed_transitions_from_draft(self):
        order = self._create_order()
        self.assertEqual(
            self._transitions(order, self.salesman),
            [self._dict(self.status_payment), self._dict(self.status_cancelled)],
        )

    def test_allowed_transitions_from_completed_is_empty(self):
        order = self._complete(self._create_order())
        self.assertEqual(self._transitions(order, self.manager), [])

    def test_allowed_transitions_from_cancelled_depend_on_group(self):
        order = self._cancel(self._create_order())
        self.assertEqual(self._transitions(order, self.salesman), [])
        self.assertEqual(
            self._transitions(order, self.manager), [self._dict(self.status_draft)]
        )

    def test_allowed_status_fields_follow_transitions(self):
        order = self._create_order().with_user(self.salesman)
        self.assertEqual(
            order.allowed_status_ids, self.status_payment | self.status_cancelled
        )
        self.assertEqual(order.next_status_id, self.status_payment)
        self.assertEqual(order.cancel_status_id, self.status_cancelled)

    # ------------------------------------------------------------
    # REFUSED TRANSITIONS
    # ------------------------------------------------------------

    def test_skipping_statuses_is_refused_with_allowed_statuses(self):
        order = self._create_order()
        with self.assertRaises(UserError) as error:
            self._move(order, self.status_completed)
        message = str(error.exception)
        self.assertIn("cannot move from Draft to Completed", message)
        self.assertIn("Allowed next statuses: Awaiting Payment, Cancelled.", message)

    def test_refused_transition_changes_nothing(self):
        order = self._move(self._create_order(), self.status_payment)
        date_status = order.date_status
        history = order.status_history_ids
        with self.assertRaises(UserError):
            self._move(order, self.status_completed)
        order.invalidate_recordset()
        self.assertEqual(order.status_id, self.status_payment)
        self.assertEqual(order.date_status, date_status)
        self.assertFalse(order.date_done)
        self.assertEqual(order.status_history_ids, history)
        self.assertEqual(len(history), 2)

    def test_salesman_cannot_reopen_cancelled_order(self):
        order = self._cancel(self._create_order())
        with self.assertRaises(UserError) as error:
            self._move(order, self.status_draft)
        self.assertIn("Allowed next statuses: none.", str(error.exception))
        self.assertEqual(order.status_id, self.status_cancelled)

    def test_manager_reopens_cancelled_order(self):
        order = self._cancel(self._create_order())
        self._move(order, self.status_draft, user=self.manager)
        self.assertEqual(order.status_id, self.status_draft)

    def test_completed_order_cannot_be_cancelled(self):
        order = self._complete(self._create_order())
        with self.assertRaises(UserError):
            self._cancel(order, user=self.manager)
        self.assertEqual(order.status_id, self.status_completed)

    def test_new_order_must_start_in_draft(self):
        with self.assertRaises(UserError):
            self._create_order(status_id=self.status_payment.id)

    def test_cancel_button_without_cancel_transition_is_refused(self):
        order = self._complete(self._create_order())
        with self.assertRaises(UserError) as error:
            order.with_user(self.salesman).action_cancel()
        self.assertIn("Allowed next statuses: none.", str(error.exception))

    # ------------------------------------------------------------
    # TRANSITIONS RESTRICTED TO ORDER TYPES
    # ------------------------------------------------------------

    def _create_express_transition(self):
        # recurring orders skip the payment step
        return self.env["crm.order.transition"].create(
            {
                "from_status_id": self.status_draft.id,
                "to_status_id": self.status_shipment.id,
                "order_type_ids": [(6, 0, self.type_recurring.ids)],
            }
        )

    def test_type_restricted_transition_allowed_for_its_type(self):
        self._create_express_transition()
        order = self._create_order(order_type_id=self.type_recurring.id)
        self.assertEqual(
            self._transitions(order, self.salesman),
            [
                self._dict(self.status_payment),
                self._dict(self.status_shipment),
                self._dict(self.status_cancelled),
            ],
        )
        self._move(order, self.status_shipment)
        self.assertEqual(order.status_id, self.status_shipment)

    def test_type_restricted_transition_refused_for_other_types(self):
        self._create_express_transition()
        order = self._create_order(order_type_id=self.type_new.id)
        self.assertEqual(
            self._transitions(order, self.salesman),
            [self._dict(self.status_payment), self._dict(self.status_cancelled)],
        )
        with self.assertRaises(UserError):
            self._move(order, self.status_shipment)
        self.assertEqual(order.status_id, self.status_draft)

    def test_archived_transition_no_longer_allowed(self):
        self.env.ref(
            "crm_order_management.order_transition_draft_cancelled"
        ).active = False
        order = self._create_order()
        self.assertEqual(
            self._transitions(order, self.salesman), [self._dict(self.status_payment)]
        )
        with self.assertRaises(UserError):
            self._cancel(order)

    # ------------------------------------------------------------
    # STATUS DATES
    # ------------------------------------------------------------

    def test_confirmation_date_set_when_leaving_draft(self):
        with freeze_time("2026-03-10 08:00:00"):
            order = self._create_order()
            self.assertFalse(order.date_confirmed)
        with freeze_time("2026-03-10 09:15:00"):
            self._move(order, self.status_payment)
        with freeze_time("2026-03-11 10:00:00"):
            self._move(order, self.status_shipment)
        # the first confirmation is kept
        self.assertEqual(
            order.date_confirmed, fields.Datetime.to_datetime("2026-03-10 09:15:00")
        )
        self.assertEqual(
            order.date_status, fields.Datetime.to_datetime("2026-03-11 10:00:00")
        )
        self.assertFalse(order.date_done)

    def test_completion_date_set_when_done(self):
        with freeze_time("2026-03-10 08:00:00"):
            order = self._create_order()
            self._move(order, self.status_payment, self.status_shipment)
            self._move(order, self.status_receipt)
        with freeze_time("2026-03-12 17:30:00"):
            self._move(order, self.status_completed)
        self.assertEqual(
            order.date_done, fields.Datetime.to_datetime("2026-03-12 17:30:00")
        )
        self.assertEqual(
            order.date_confirmed, fields.Datetime.to_datetime("2026-03-10 08:00:00")
        )

    def test_cancelling_draft_does_not_confirm(self):
        order = self._cancel(self._create_order())
        self.assertFalse(order.date_confirmed)
        self.assertFalse(order.date_done)

    def test_status_dates_cannot_be_written_by_users(self):
        order = self._create_order()
        for field_name in ("date_status", "date_confirmed", "date_done"):
            with self.subTest(field=field_name), self.assertRaises(UserError):
                order.with_user(self.manager).write({field_name: "2020-01-01 00:00:00"})
        self.assertFalse(order.date_confirmed)

    def test_status_dates_cannot_be_given_at_creation(self):
        with self.assertRaises(UserError):
            self._create_order(date_confirmed="2020-01-01 00:00:00")
