# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    crm_order_ids = fields.One2many("crm.order", "partner_id", string="Customer Orders")
    crm_order_count = fields.Integer(
        string="Customer Order Count",
        compute="_compute_crm_order_stats",
        help="Orders of this customer and its contacts, cancelled ones included.",
    )
    crm_order_total = fields.Monetary(
        string="Total Ordered",
        compute="_compute_crm_order_stats",
        currency_field="crm_order_currency_id",
        help="Total of the customer's orders that are not cancelled, in the current "
        "company (and its currency).",
    )
    crm_order_currency_id = fields.Many2one(
        "res.currency", compute="_compute_crm_order_stats"
    )
    crm_order_first_date = fields.Datetime(
        string="First Order", compute="_compute_crm_order_stats"
    )
    crm_order_last_date = fields.Datetime(
        string="Last Order", compute="_compute_crm_order_stats"
    )
    customer_needs = fields.Text(
        help="What this customer needs: products, services, expectations."
    )
    crm_order_type_id = fields.Many2one(
        "crm.order.type",
        string="Default Order Type",
        company_dependent=True,
        help="Type given to this customer's new orders when none is chosen.",
    )

    @api.depends_context("uid", "company", "allowed_company_ids")
    def _compute_crm_order_stats(self):
        """Figures over the commercial entity: a company's orders include those of
        its contacts, as in Sales."""
        entities = self.commercial_partner_id
        stats = {}
        if entities.ids:
            Order = self.env["crm.order"]
            for entity, count, first, last in Order._read_group(
                [("commercial_partner_id", "in", entities.ids)],
                ["commercial_partner_id"],
                ["__count", "date_order:min", "date_order:max"],
            ):
                stats[entity.id] = [count, 0.0, first, last]
            for entity, total in Order._read_group(
                [
                    ("commercial_partner_id", "in", entities.ids),
                    ("status_category", "!=", "cancel"),
                    ("company_id", "=", self.env.company.id),
                ],
                ["commercial_partner_id"],
                ["amount_total:sum"],
            ):
                stats[entity.id][1] = total
        for partner in self:
            count, total, first, last = stats.get(
                partner.commercial_partner_id.id, (0, 0.0, False, False)
            )
            partner.crm_order_count = count
            partner.crm_order_currency_id = self.env.company.currency_id
            partner.crm_order_total = total
            partner.crm_order_first_date = first
            partner.crm_order_last_date = last

    def action_view_crm_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_order_management.crm_order_action"
        )
        action["domain"] = [
            ("commercial_partner_id", "=", self.commercial_partner_id.id)
        ]
        action["context"] = {"default_partner_id": self.id}
        return action
