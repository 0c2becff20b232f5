# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError


class CrmLead(models.Model):
    _inherit = "crm.lead"

    crm_order_ids = fields.One2many(
        "crm.order", "opportunity_id", string="Customer Orders"
    )
    crm_order_count = fields.Integer(
        string="Customer Order Count", compute="_compute_crm_order_count"
    )

    @api.depends_context("uid", "allowed_company_ids")
    def _compute_crm_order_count(self):
        counts = dict(
            self.env["crm.order"]._read_group(
                [("opportunity_id", "in", self.ids)], ["opportunity_id"], ["__count"]
            )
        )
        for lead in self:
            lead.crm_order_count = counts.get(lead, 0)

    def action_new_crm_order(self):
        """Open a new order pre-filled from the opportunity."""
        self.ensure_one()
        if not self.partner_id:
            raise UserError(
                self.env._(
                    "Set a customer on the opportunity before creating an order."
                )
            )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("New Order"),
            "res_model": "crm.order",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            "context": {
                "default_partner_id": self.partner_id.id,
                "default_opportunity_id": self.id,
                "default_user_id": (self.user_id or self.env.user).id,
                "default_team_id": self.team_id.id,
                "default_company_id": (self.company_id or self.env.company).id,
            },
        }

    def action_view_crm_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_order_management.crm_order_action"
        )
        action["domain"] = [("opportunity_id", "=", self.id)]
        action["context"] = {
            "default_partner_id": self.partner_id.id,
            "default_opportunity_id": self.id,
        }
        return action
