# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import CrmOrderCommon


@tagged("post_install", "-at_install")
class TestCrmLeadOrders(CrmOrderCommon):
    """Orders created from an opportunity, and the opportunity won when one of its
    orders is completed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.opportunity = (
            cls.env["crm.lead"]
            .with_user(cls.salesman)
            .create(
                {
                    "name": "Lotus office refit",
                    "type": "opportunity",
                    "partner_id": cls.customer_company.id,
                    "user_id": cls.salesman.id,
                    "probability": 40.0,
                }
            )
            .with_env(cls.env)
        )

    def _order_from_opportunity(self):
        action = self.opportunity.with_user(self.salesman).action_new_crm_order()
        form = Form(
            self.env["crm.order"]
            .with_user(self.salesman)
            .with_context(**action["context"])
        )
        with form.line_ids.new() as line:
            line.product_id = self.product
        return form.save()

    def test_new_order_button_returns_prefilled_form_action(self):
        action = self.opportunity.with_user(self.salesman).action_new_crm_order()
        self.assertEqual(action["type"], "ir.actions.act_window")
        self.assertEqual(action["res_model"], "crm.order")
        self.assertEqual(action["views"], [(False, "form")])
        self.assertEqual(
            action["context"],
            {
                "default_partner_id": self.customer_company.id,
                "default_opportunity_id": self.opportunity.id,
                "default_user_id": self.salesman.id,
                "default_team_id": self.opportunity.team_id.id,
                "default_company_id": self.opportunity.company_id.id,
            },
        )

    def test_new_order_button_needs_a_customer(self):
        self.opportunity.partner_id = False
        with self.assertRaises(UserError):
            self.opportunity.with_user(self.salesman).action_new_crm_order()

    def test_order_created_from_opportunity_is_linked(self):
        order = self._order_from_opportunity()
        self.assertEqual(order.partner_id, self.customer_company)
        self.assertEqual(order.opportunity_id, self.opportunity)
        self.assertEqual(order.user_id, self.salesman)
        self.assertEqual(order.order_type_id, self.type_new)
        self.assertEqual(self.opportunity.crm_order_ids, order)

    def test_opportunity_counts_its_orders(self):
        self.assertEqual(self.opportunity.crm_order_count, 0)
        self._create_order(opportunity_id=self.opportunity.id)
        self._create_order(opportunity_id=self.opportunity.id)
        self._create_order()  # another order, not of this opportunity
        self.opportunity.invalidate_recordset(["crm_order_count"])
        self.assertEqual(self.opportunity.crm_order_count, 2)

    def test_completed_order_marks_opportunity_won_when_enabled(self):
        self.company.crm_order_mark_won = True
        order = self._create_order(opportunity_id=self.opportunity.id)
        self._move(
            order, self.status_payment, self.status_shipment, self.status_receipt
        )
        self.assertFalse(self.opportunity.stage_id.is_won)
        self._move(order, self.status_completed)
        self.assertTrue(self.opportunity.stage_id.is_won)
        self.assertEqual(self.opportunity.probability, 100.0)

    def test_completed_order_leaves_opportunity_open_when_disabled(self):
        self.company.crm_order_mark_won = False
        stage = self.opportunity.stage_id
        order = self._complete(self._create_order(opportunity_id=self.opportunity.id))
        self.assertEqual(order.status_id, self.status_completed)
        self.assertEqual(self.opportunity.stage_id, stage)
        self.assertFalse(self.opportunity.stage_id.is_won)
        self.assertEqual(self.opportunity.probability, 40.0)

    def test_cancelled_order_does_not_mark_opportunity_won(self):
        self.company.crm_order_mark_won = True
        self._cancel(self._create_order(opportunity_id=self.opportunity.id))
        self.assertFalse(self.opportunity.stage_id.is_won)
