# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import api, fields, models

from ..tools import check_client_values, client_default_get, with_server_values

LOYALTY_LEVELS = [
    ("new", "Newcomer"),
    ("occasional", "Occasional"),
    ("loyal", "Loyal"),
    ("at_risk", "At Risk"),
]
NEW_CUSTOMER_DAYS = 90
LOYAL_MIN_ORDERS = 4
LOYAL_MIN_TENURE_DAYS = 180
AT_RISK_MIN_DAYS = 30
# The addon's fields on customers: for the sales team only (portal users and
# internal users without sales rights see none of them).
SALES = "sales_team.group_sale_salesman"
CRM_PARTNER_FIELDS = (
    "crm_order_ids",
    "crm_order_count",
    "crm_order_total",
    "crm_order_currency_id",
    "crm_order_first_date",
    "crm_order_last_date",
    "customer_needs",
    "crm_order_type_id",
    "crm_order_entity_ids",
    "crm_satisfaction",
    "crm_loyalty",
)


def loyalty_level(count, first, last, today):
    """The loyalty rule (README, "Customer loyalty"), over a customer's orders that
    are not cancelled: ``count`` orders, ``first`` and ``last`` order dates.

    - no order: no level (False);
    - one order: *new* within NEW_CUSTOMER_DAYS of it, *at risk* afterwards;
    - several: their usual interval is (last - first) / (count - 1); *at risk* when
      the time since the last order exceeds twice that interval and at least
      AT_RISK_MIN_DAYS; else *loyal* from LOYAL_MIN_ORDERS orders over at least
      LOYAL_MIN_TENURE_DAYS since the first; else *occasional*.
    """
    if not count:
        return False
    since_last = today - last
    if count == 1:
        return "new" if since_last <= timedelta(days=NEW_CUSTOMER_DAYS) else "at_risk"
    interval = (last - first) / (count - 1)
    if since_last > max(2 * interval, timedelta(days=AT_RISK_MIN_DAYS)):
        return "at_risk"
    tenure = today - first
    if count >= LOYAL_MIN_ORDERS and tenure >= timedelta(days=LOYAL_MIN_TENURE_DAYS):
        return "loyal"
    return "occasional"


class ResPartner(models.Model):
    _inherit = "res.partner"

    crm_order_ids = fields.One2many(
        "crm.order", "partner_id", string="Customer Orders", groups=SALES
    )
    crm_order_count = fields.Integer(
        string="Customer Order Count",
        compute="_compute_crm_order_stats",
        help="Orders of this customer and its contacts, cancelled ones included.",
        groups=SALES,
    )
    crm_order_total = fields.Monetary(
        string="Total Ordered",
        compute="_compute_crm_order_stats",
        currency_field="crm_order_currency_id",
        help="Total of the customer's orders that are not cancelled, in the current "
        "company (and its currency).",
        groups=SALES,
    )
    crm_order_currency_id = fields.Many2one(
        "res.currency",
        compute="_compute_crm_order_stats",
        groups=SALES,
    )
    crm_order_first_date = fields.Datetime(
        string="First Order",
        compute="_compute_crm_order_stats",
        groups=SALES,
    )
    crm_order_last_date = fields.Datetime(
        string="Last Order",
        compute="_compute_crm_order_stats",
        groups=SALES,
    )
    customer_needs = fields.Text(
        help="What this customer needs: products, services, expectations.",
        groups=SALES,
    )
    crm_order_type_id = fields.Many2one(
        "crm.order.type",
        string="Default Order Type",
        company_dependent=True,
        help="Type given to this customer's new orders when none is chosen.",
        groups=SALES,
    )
    crm_order_entity_ids = fields.One2many(
        "crm.order",
        "commercial_partner_id",
        string="Orders of the Commercial Entity",
        groups=SALES,
    )
    crm_satisfaction = fields.Float(
        string="Satisfaction",
        compute="_compute_crm_customer_profile",
        store=True,
        digits=(16, 2),
        aggregator="avg",
        help="Average customer rating (1 to 5) of the rated orders of this customer "
        "and its contacts; 0 when none is rated.",
        groups=SALES,
    )
    crm_loyalty = fields.Selection(
        LOYALTY_LEVELS,
        string="Loyalty",
        compute="_compute_crm_customer_profile",
        store=True,
        index=True,
        help="From the order history (orders not cancelled): Newcomer (one recent "
        "order), "
        "Occasional, Loyal (4 orders or more over 6 months or more, ordering at "
        "their usual pace), At Risk (no order for more than twice their usual "
        "interval). Updated with every order and once a day.",
        groups=SALES,
    )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model
    def default_get(self, fields_list):
        return client_default_get(
            self, fields_list, super().default_get, fnames=CRM_PARTNER_FIELDS
        )

    @api.model_create_multi
    def create(self, vals_list):
        self._check_crm_values(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._check_crm_values([vals])
        return super().write(vals)

    def _check_crm_values(self, vals_list):
        """The addon's fields: satisfaction and loyalty are the server's, the
        others are checked for their types."""
        check_client_values(
            self,
            [
                {name: vals[name] for name in CRM_PARTNER_FIELDS if name in vals}
                for vals in vals_list
            ],
            fnames=CRM_PARTNER_FIELDS,
        )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends(
        "commercial_partner_id.crm_order_entity_ids.date_order",
        "commercial_partner_id.crm_order_entity_ids.status_category",
        "commercial_partner_id.crm_order_entity_ids.rating",
    )
    def _compute_crm_customer_profile(self):
        """Satisfaction and loyalty of the commercial entity, over all its orders
        whoever can see them: two grouped queries for the whole batch."""
        profiles = self._crm_customer_profiles(self.commercial_partner_id)
        for partner in self:
            satisfaction, loyalty = profiles.get(
                partner.commercial_partner_id.id, (0.0, False)
            )
            partner.crm_satisfaction = satisfaction
            partner.crm_loyalty = loyalty

    @api.model
    def _crm_customer_profiles(self, entities):
        """Map commercial partner ids to (satisfaction, loyalty) as of today."""
        if not entities.ids:
            return {}
        Order = self.env["crm.order"].sudo()
        today = fields.Datetime.now()
        profiles = {}
        for entity, count, first, last in Order._read_group(
            [
                ("commercial_partner_id", "in", entities.ids),
                ("status_category", "!=", "cancel"),
            ],
            ["commercial_partner_id"],
            ["__count", "date_order:min", "date_order:max"],
        ):
            profiles[entity.id] = [0.0, loyalty_level(count, first, last, today)]
        for entity, average in Order._read_group(
            [("commercial_partner_id", "in", entities.ids), ("rating", ">", 0)],
            ["commercial_partner_id"],
            ["rating:avg"],
        ):
            profiles.setdefault(entity.id, [0.0, False])[0] = average
        return profiles

    @api.model
    def _cron_update_crm_loyalty(self, batch_size=5000):
        """Loyalty moves with time (a customer who stops ordering becomes at risk):
        recompute it for every customer with orders, in batches, writing only the
        changes grouped by level."""
        Order = self.env["crm.order"].sudo()
        entity_ids = [
            entity.id for (entity,) in Order._read_group([], ["commercial_partner_id"])
        ]
        done = 0
        for start in range(0, len(entity_ids), batch_size):
            entities = self.sudo().browse(entity_ids[start : start + batch_size])
            partners = self.sudo().search(
                [("commercial_partner_id", "in", entities.ids)]
            )
            profiles = self._crm_customer_profiles(entities)
            changes = {}
            for partner in partners:
                loyalty = profiles.get(partner.commercial_partner_id.id, (0, False))[1]
                if partner.crm_loyalty != loyalty:
                    changes.setdefault(loyalty, self.sudo())
                    changes[loyalty] |= partner
            for loyalty, changed in changes.items():
                with_server_values(changed).write({"crm_loyalty": loyalty})
            done += len(entities)
            self.env["ir.cron"]._notify_progress(
                done=done, remaining=len(entity_ids) - done
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
