# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import CrmOrderCommon


@tagged("post_install", "-at_install")
class TestCrmOrderCancel(CrmOrderCommon):
    """Cancelling an order asks for a reason."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.reason_price = cls.env.ref("crm_order_management.cancel_reason_price")

    def _flush_tracking(self):
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.env.invalidate_all()

    def test_cancel_without_reason_is_refused(self):
        order = self._move(self._create_order(), self.status_payment)
        date_status = order.date_status
        history = order.status_history_ids
        with self.assertRaises(UserError) as error:
            order.with_user(self.salesman).write(
                {"status_id": self.status_cancelled.id}
            )
        self.assertIn("Give a cancel reason", str(error.exception))
        order.invalidate_recordset()
        self.assertEqual(order.status_id, self.status_payment)
        self.assertEqual(order.date_status, date_status)
        self.assertEqual(order.status_history_ids, history)
        self.assertFalse(order.cancel_reason_id)

    def test_cancel_with_an_empty_reason_is_refused(self):
        order = self._create_order()
        with self.assertRaises(UserError):
            order.with_user(self.salesman).action_set_status(
                self.status_cancelled.id, cancel_reason_id=False
            )
        self.assertEqual(order.status_id, self.status_draft)

    def test_cancel_with_reason_in_the_same_write(self):
        order = self._create_order()
        order.with_user(self.salesman).write(
            {
                "status_id": self.status_cancelled.id,
                "cancel_reason_id": self.reason_price.id,
                "cancel_note": "Found it 20% cheaper",
            }
        )
        self.assertEqual(order.status_id, self.status_cancelled)
        self.assertEqual(order.cancel_reason_id, self.reason_price)
        self.assertEqual(order.cancel_note, "Found it 20% cheaper")

    def test_reason_already_on_the_order_is_enough(self):
        order = self._create_order()
        order.with_user(self.salesman).cancel_reason_id = self.reason_price
        self._move(order, self.status_cancelled)
        self.assertEqual(order.status_id, self.status_cancelled)
        self.assertEqual(order.cancel_reason_id, self.cancel_reason)

    def test_reason_of_a_cancelled_order_cannot_be_removed(self):
        order = self._cancel(self._create_order())
        with self.assertRaises(UserError):
            order.with_user(self.salesman).write({"cancel_reason_id": False})
        self.assertEqual(order.cancel_reason_id, self.cancel_reason)
        # Another reason may replace it.
        order.with_user(self.salesman).cancel_reason_id = self.reason_price
        self.assertEqual(order.cancel_reason_id, self.reason_price)

    def test_wizard_cancels_with_reason_and_note(self):
        order = self._move(self._create_order(), self.status_payment)
        self._flush_tracking()
        action = order.with_user(self.salesman).action_cancel()
        self.assertEqual(action["res_model"], "crm.order.cancel")
        self.assertEqual(action["target"], "new")
        form = Form(
            self.env["crm.order.cancel"]
            .with_user(self.salesman)
            .with_context(**action["context"])
        )
        self.assertEqual(form.order_id, order)
        form.cancel_reason_id = self.reason_price
        form.cancel_note = "Budget cut"
        wizard = form.save()
        wizard.action_confirm()
        self._flush_tracking()
        self.assertEqual(order.status_id, self.status_cancelled)
        self.assertEqual(order.cancel_reason_id, self.reason_price)
        self.assertEqual(order.cancel_note, "Budget cut")
        tracked = order.message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "cancel_reason_id"
        )
        self.assertEqual(tracked.mapped("new_value_char"), [self.reason_price.name])

    def test_wizard_requires_a_reason(self):
        order = self._create_order()
        form = Form(
            self.env["crm.order.cancel"]
            .with_user(self.salesman)
            .with_context(default_order_id=order.id)
        )
        with self.assertRaises(AssertionError):
            form.save()
        self.assertEqual(order.status_id, self.status_draft)

    def test_reason_required_for_any_cancel_status(self):
        lost = self.env["crm.order.status"].create(
            {"name": "Lost", "category": "cancel", "sequence": 95}
        )
        self.env["crm.order.transition"].create(
            {"from_status_id": self.status_draft.id, "to_status_id": lost.id}
        )
        order = self._create_order()
        with self.assertRaises(UserError) as error:
            order.with_user(self.salesman).action_set_status(lost.id)
        self.assertIn("Give a cancel reason", str(error.exception))
        self.assertEqual(order.status_id, self.status_draft)
        self._move(order, lost)
        self.assertEqual(order.status_id, lost)
        self.assertEqual(order.cancel_reason_id, self.cancel_reason)

    def test_reopening_clears_reason_and_keeps_it_in_the_chatter(self):
        order = self._create_order()
        order.with_user(self.salesman).action_set_status(
            self.status_cancelled.id,
            cancel_reason_id=self.reason_price.id,
            cancel_note="Too expensive",
        )
        self._flush_tracking()
        self._move(order, self.status_draft, user=self.manager)
        self._flush_tracking()
        self.assertEqual(order.status_id, self.status_draft)
        self.assertFalse(order.cancel_reason_id)
        self.assertFalse(order.cancel_note)
        tracked = order.message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "cancel_reason_id"
        )
        self.assertIn(self.reason_price.name, tracked.mapped("old_value_char"))

    def test_superuser_import_needs_no_reason(self):
        order = self._create_order()
        order.with_context(crm_order_import=True).write(
            {"status_id": self.status_cancelled.id}
        )
        self.assertEqual(order.status_id, self.status_cancelled)
        self.assertFalse(order.cancel_reason_id)

    def test_read_group_by_cancel_reason(self):
        orders = [self._create_order() for _ in range(3)]
        self._cancel(orders[0])
        self._cancel(orders[1])
        orders[2].with_user(self.salesman).action_set_status(
            self.status_cancelled.id, cancel_reason_id=self.reason_price.id
        )
        ids = [order.id for order in orders]
        groups = (
            self.env["crm.order"]
            .with_user(self.salesman)
            .read_group(
                [("id", "in", ids)],
                ["amount_total:sum"],
                ["cancel_reason_id"],
            )
        )
        counts = {g["cancel_reason_id"][0]: g["cancel_reason_id_count"] for g in groups}
        self.assertEqual(counts, {self.cancel_reason.id: 2, self.reason_price.id: 1})

    def test_reason_access(self):
        Reason = self.env["crm.order.cancel.reason"]
        names = Reason.with_user(self.salesman).search([]).mapped("name")
        self.assertEqual(
            names,
            [
                "Customer changed their mind",
                "Price too high",
                "Chose a competitor",
                "Out of stock",
                "Duplicate order",
                "Other",
            ],
        )
        with self.assertRaises(UserError):
            Reason.with_user(self.salesman).create({"name": "Weather"})
        reason = Reason.with_user(self.manager).create({"name": "Weather"})
        reason.active = False
        self.assertNotIn(reason, Reason.with_user(self.salesman).search([]))
