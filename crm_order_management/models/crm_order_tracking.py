# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

TRACKING_KINDS = [
    ("call", "Call"),
    ("email", "Email"),
    ("meeting", "Meeting"),
    ("delivery_check", "Delivery Check"),
    ("other", "Other"),
]


class CrmOrderTracking(models.Model):
    _name = "crm.order.tracking"
    _description = "Order Tracking Event"
    _order = "date desc, id desc"

    order_id = fields.Many2one(
        "crm.order", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(
        related="order_id.company_id", store=True, index=True, precompute=True
    )
    order_type_id = fields.Many2one(
        related="order_id.order_type_id", store=True, precompute=True
    )
    partner_id = fields.Many2one(related="order_id.partner_id", string="Customer")
    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    user_id = fields.Many2one(
        "res.users",
        string="Logged By",
        required=True,
        default=lambda self: self.env.user,
        index=True,
    )
    kind = fields.Selection(TRACKING_KINDS, required=True, default="call")
    summary = fields.Text()
    activity_type_id = fields.Many2one(
        "mail.activity.type",
        string="From Activity",
        readonly=True,
        help="The activity whose completion logged this event.",
    )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            for vals in vals_list:
                self._check_tracking_values(vals)
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            self._check_tracking_values(vals)
        return super().write(vals)

    def _check_tracking_values(self, vals):
        """Events count in the tracking metrics: a user logs them under their own
        name, and not in the future."""
        if vals.get("user_id") and vals["user_id"] != self.env.uid:
            raise UserError(
                self.env._("A tracking event is logged under your own name.")
            )
        date = fields.Datetime.to_datetime(vals.get("date"))
        if date and date > fields.Datetime.now():
            raise UserError(self.env._("A tracking event cannot be in the future."))
