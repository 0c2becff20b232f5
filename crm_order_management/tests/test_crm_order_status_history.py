# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import CrmOrderCommon


def _dt(value):
    return fields.Datetime.to_datetime(value)


@tagged("post_install", "-at_install")
class TestCrmOrderStatusHistory(CrmOrderCommon):
    def _rows(self, order):
        return [
            (
                row.status_from_id,
                row.status_to_id,
                row.user_id,
                row.date,
                row.duration_hours,
            )
            for row in order.status_history_ids.sorted("id")
        ]

    def test_creation_logs_one_row_from_nothing_to_draft(self):
        with freeze_time("2026-03-10 08:00:00"):
            order = self._create_order()
        self.assertEqual(
            self._rows(order),
            [
                (
                    self.env["crm.order.status"],
                    self.status_draft,
                    self.salesman,
                    _dt("2026-03-10 08:00:00"),
                    0.0,
                )
            ],
        )

    def test_each_change_logs_a_row_with_user_and_hours(self):
        # draft 08:00 → 10:30 (2.5 h) → awaiting payment, by the salesman;
        # awaiting payment 10:30 → next day 09:15 (22.75 h) → cancelled, by the
        # manager; cancelled 09:15 → 09:21 (0.1 h) → draft, by the manager
        with freeze_time("2026-03-10 08:00:00"):
            order = self._create_order()
        with freeze_time("2026-03-10 10:30:00"):
            self._move(order, self.status_payment)
        with freeze_time("2026-03-11 09:15:00"):
            self._move(order, self.status_cancelled, user=self.manager)
        with freeze_time("2026-03-11 09:21:00"):
            self._move(order, self.status_draft, user=self.manager)
        no_status = self.env["crm.order.status"]
        self.assertEqual(
            self._rows(order),
            [
                (
                    no_status,
                    self.status_draft,
                    self.salesman,
                    _dt("2026-03-10 08:00:00"),
                    0.0,
                ),
                (
                    self.status_draft,
                    self.status_payment,
                    self.salesman,
                    _dt("2026-03-10 10:30:00"),
                    2.5,
                ),
                (
                    self.status_payment,
                    self.status_cancelled,
                    self.manager,
                    _dt("2026-03-11 09:15:00"),
                    22.75,
                ),
                (
                    self.status_cancelled,
                    self.status_draft,
                    self.manager,
                    _dt("2026-03-11 09:21:00"),
                    0.1,
                ),
            ],
        )

    def test_writing_the_same_status_logs_nothing(self):
        order = self._create_order()
        order.with_user(self.salesman).write({"status_id": self.status_draft.id})
        self.assertEqual(len(order.status_history_ids), 1)

    def test_history_cannot_be_edited(self):
        order = self._create_order()
        row = order.status_history_ids
        with self.assertRaises(UserError):
            row.with_user(self.manager).write({"duration_hours": 99.0})
        with self.assertRaises(UserError):
            row.write({"user_id": self.manager.id})
        self.assertEqual(row.user_id, self.salesman)
        self.assertEqual(row.duration_hours, 0.0)

    def test_history_cannot_be_deleted(self):
        order = self._create_order()
        row = order.status_history_ids
        with self.assertRaises(AccessError):
            row.with_user(self.manager).unlink()
        with self.assertRaises(UserError):
            row.unlink()
        self.assertTrue(row.exists())

    def test_history_cannot_be_forged_by_users(self):
        order = self._create_order()
        with self.assertRaises(AccessError):
            self.env["crm.order.status.history"].with_user(self.manager).create(
                {
                    "order_id": order.id,
                    "status_to_id": self.status_completed.id,
                    "user_id": self.manager.id,
                    "date": "2026-03-10 08:00:00",
                }
            )

    def test_history_deleted_with_its_order(self):
        order = self._create_order()
        row = order.status_history_ids
        order.with_user(self.salesman).unlink()
        self.assertFalse(row.exists())
