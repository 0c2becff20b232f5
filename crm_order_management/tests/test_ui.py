# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The main flows in the web client: tours of static/tests/tours/crm_order_tour.js,
run in headless Chromium by HttpCase.start_tour, then checked through the ORM."""

import subprocess
import unittest

from odoo import Command, fields
from odoo.tests import HttpCase, common, tagged
from odoo.tests.common import new_test_user

from .common import warm_up_static_paths

# The records the tours look for, by these names (crm_order_tour.js)
CUSTOMER = "Marlowe Tour Bakery"
PRODUCT = "Tour Walnut Bookcase"
SERVICE = "Tour Assembly Service"


@tagged("post_install", "-at_install")
class TestUi(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        warm_up_static_paths()
        ref = cls.env.ref
        cls.env.ref("base.user_admin").tour_enabled = False
        cls.salesman = new_test_user(
            cls.env,
            login="crm_order_tour_salesman",
            name="Tess Tour Salesman",
            groups="sales_team.group_sale_salesman",
        )
        cls.salesman_all = new_test_user(
            cls.env,
            login="crm_order_tour_salesman_all",
            name="Alan Tour All Documents",
            groups="sales_team.group_sale_salesman_all_leads",
        )
        cls.customer = cls.env["res.partner"].create({"name": CUSTOMER})
        cls.product = cls.env["product.product"].create(
            {"name": PRODUCT, "type": "consu", "list_price": 120.0}
        )
        cls.service = cls.env["product.product"].create(
            {"name": SERVICE, "type": "service", "list_price": 45.0}
        )
        cls.status_completed = ref("crm_order_management.order_status_completed")

    def test_browser_available(self):
        """The tours need Chromium and websocket-client; without them Odoo skips
        the tours, which must fail here instead of passing unnoticed."""
        self.assertIsNotNone(
            common.websocket,
            "The websocket-client package is missing: browser tests cannot run.",
        )
        try:
            executable = common._find_executable()
        except unittest.SkipTest as error:
            self.fail(
                f"Chromium or Chrome not found, browser tests cannot run: {error}"
            )
        # Started the way ChromeBrowser starts it: without the server's memory limit
        version = subprocess.run(
            [executable, "--version"],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
            preexec_fn=common._preexec,
        )
        self.assertEqual(
            version.returncode, 0, f"{executable} --version failed: {version.stderr}"
        )

    def test_order_tour(self):
        """A salesperson creates an order from the Orders menu, moves it to
        Completed with the form's buttons, logs a follow-up, rates it, and finds it
        in the kanban's Completed column."""
        self.start_tour(
            "/odoo", "crm_order_management_order_tour", login=self.salesman.login
        )

        order = self.env["crm.order"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(len(order), 1)
        self.assertEqual(order.user_id, self.salesman)
        self.assertNotEqual(order.name, "New")
        self.assertEqual(
            sorted((line.product_id, line.quantity) for line in order.line_ids),
            sorted([(self.product, 2.0), (self.service, 1.0)]),
        )
        # the description the product filled in (an optional column, hidden)
        self.assertEqual(
            sorted(order.line_ids.mapped("name")), sorted([PRODUCT, SERVICE])
        )
        self.assertEqual(order.amount_total, 285.0)
        self.assertEqual(order.status_id, self.status_completed)
        self.assertTrue(order.date_done)
        # Created as draft, then moved on four times with the form's button
        history = order.status_history_ids.sorted("id")
        self.assertEqual(
            history.status_to_id.mapped("name"),
            [
                "Draft",
                "Awaiting Payment",
                "Awaiting Shipment",
                "Awaiting Receipt",
                "Completed",
            ],
        )
        self.assertEqual(history.user_id, self.salesman)
        self.assertEqual(len(order.tracking_ids), 1)
        self.assertRecordValues(
            order.tracking_ids,
            [
                {
                    "kind": "delivery_check",
                    "summary": "Bookcase delivered and assembled",
                    "user_id": self.salesman.id,
                }
            ],
        )
        self.assertEqual(order.rating, 5)
        self.assertEqual(order.rating_comment, "Quick delivery, careful assembly")
        self.assertTrue(order.rating_date)

    def test_metrics_tour(self):
        """The order metrics open on their graph from Reporting > Order Metrics."""
        order = (
            self.env["crm.order"]
            .with_user(self.salesman)
            .create(
                {
                    "partner_id": self.customer.id,
                    "line_ids": [
                        Command.create({"product_id": self.product.id}),
                        Command.create({"product_id": self.service.id}),
                    ],
                }
            )
        )
        for _step in range(4):
            order.action_next_status()
        self.assertEqual(order.status_id, self.status_completed)
        today = fields.Date.today()
        self.env["crm.order.kpi"].recompute_range(
            today.replace(day=1), today, granularities=["month"]
        )
        snapshot = self.env["crm.order.kpi"].search(
            [
                ("granularity", "=", "month"),
                ("date_start", "=", today.replace(day=1)),
                ("order_type_id", "=", False),
                ("company_id", "=", order.company_id.id),
            ]
        )
        self.assertEqual(len(snapshot), 1)
        self.assertGreaterEqual(snapshot.customer_count, 1)
        self.assertGreaterEqual(snapshot.product_count, 2)

        self.start_tour(
            "/odoo", "crm_order_management_metrics_tour", login=self.salesman_all.login
        )

    def test_status_path_tour(self):
        """On a draft order, the status bar shows the workflow's path with only
        the allowed statuses clickable and no Cancelled, the main button names its
        target, and the Cancel Order button opens the dialog that asks for the
        reason; the cancelled order's bar then shows Cancelled."""
        order = (
            self.env["crm.order"]
            .with_user(self.salesman)
            .create(
                {
                    "partner_id": self.customer.id,
                    "line_ids": [Command.create({"product_id": self.product.id})],
                }
            )
        )
        self.start_tour(
            f"/odoo/action-crm_order_management.crm_order_action/{order.id}",
            "crm_order_management_status_path_tour",
            login=self.salesman.login,
        )
        self.assertRecordValues(
            order,
            [
                {
                    "status_id": self.env.ref(
                        "crm_order_management.order_status_cancelled"
                    ).id,
                    "cancel_reason_id": self.env.ref(
                        "crm_order_management.cancel_reason_price"
                    ).id,
                }
            ],
        )

    def test_recompute_tour(self):
        """A sales manager recomputes three months without weeks (93 periods) from
        Reporting > Recompute Metrics: the notification says the range is queued,
        and Reporting > Metrics Recomputations lists the job."""
        manager = new_test_user(
            self.env,
            login="crm_order_tour_manager",
            name="Mona Tour Manager",
            groups="sales_team.group_sale_manager",
        )
        self.start_tour(
            "/odoo", "crm_order_management_recompute_tour", login=manager.login
        )
        job = self.env["crm.order.kpi.job"].search([])
        self.assertRecordValues(
            job,
            [
                {
                    "date_from": fields.Date.to_date("2024-02-01"),
                    "date_to": fields.Date.to_date("2024-04-30"),
                    "granularities": "day,month",
                    "period_count": 93,
                    "state": "queued",
                    "user_id": manager.id,
                }
            ],
        )

    def test_status_activity_tour(self):
        """An order awaiting shipment shows its status's activity; moving it on
        from the form removes it (the activity ends with its status)."""
        order = (
            self.env["crm.order"]
            .with_user(self.salesman)
            .create(
                {
                    "partner_id": self.customer.id,
                    "line_ids": [Command.create({"product_id": self.product.id})],
                }
            )
        )
        for _step in range(2):
            order.action_next_status()
        self.assertEqual(order.activity_ids.mapped("summary"), ["Prepare the shipment"])
        self.start_tour(
            f"/odoo/action-crm_order_management.crm_order_action/{order.id}",
            "crm_order_management_status_activity_tour",
            login=self.salesman.login,
        )
        self.assertEqual(
            order.status_id,
            self.env.ref("crm_order_management.order_status_awaiting_receipt"),
        )
        self.assertFalse(order.activity_ids)
