# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools import (
    check_client_values,
    client_default_get,
    history_import,
    with_server_values,
)

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
    # The author is the user who logs the event (see tools.check_client_values);
    # the activity is named by the server when an activity marked done logs it.
    _crm_server_fields = ("user_id", "activity_type_id")

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
        readonly=True,
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

    @api.constrains("date")
    def _check_date_not_in_future(self):
        """Events count in the tracking metrics: they are not in the future,
        whatever the path (a history import logs past events of other users)."""
        now = fields.Datetime.now()
        if any(event.date > now for event in self):
            raise ValidationError(
                self.env._("A tracking event cannot be in the future.")
            )

    @api.model
    def default_get(self, fields_list):
        return client_default_get(self, fields_list, super().default_get)

    @api.model_create_multi
    def create(self, vals_list):
        # Naming oneself as the author is what the server does anyway.
        vals_list = [
            {
                name: value
                for name, value in vals.items()
                if not (name == "user_id" and value == self.env.uid)
            }
            for vals in vals_list
        ]
        check_client_values(self, vals_list)
        for vals in vals_list:
            self._check_tracking_values(vals)
        return super().create(vals_list)

    def write(self, vals):
        check_client_values(self, [vals])
        if "order_id" in vals and any(
            event.order_id.id != vals["order_id"] for event in self
        ):
            raise UserError(
                self.env._("A tracking event cannot be moved to another order.")
            )
        self._check_tracking_values(vals)
        return super().write(vals)

    def _check_tracking_values(self, vals):
        """Events count in the tracking metrics: they are not in the future (a
        history import logs past events of other users)."""
        if history_import(self.env):
            return
        date = fields.Datetime.to_datetime(vals.get("date"))
        if date and date > fields.Datetime.now():
            raise UserError(self.env._("A tracking event cannot be in the future."))

    @api.model
    def _log_from_activities(self, vals_list):
        """Log the events of activities marked done, under the name of the user who
        marked them (the server's own values: author and activity), on the orders
        where that user may log events: an activity moved onto another order
        logs nothing there."""
        if not self.has_access("create"):
            return self.browse()
        orders = self.env["crm.order"].browse({v["order_id"] for v in vals_list})
        allowed = set(orders._filtered_access("write").ids)
        vals_list = [vals for vals in vals_list if vals["order_id"] in allowed]
        return with_server_values(self).create(vals_list).with_env(self.env)
