# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models
from odoo.tools import html2plaintext


class MailActivity(models.Model):
    _inherit = "mail.activity"

    def _action_done(self, feedback=False, attachment_ids=None):
        """A done activity on an order becomes a tracking event of the order, by the
        user who marked it done."""
        on_orders = self.filtered(lambda a: a.res_model == "crm.order" and a.res_id)
        events = [
            {
                "order_id": activity.res_id,
                "kind": activity.activity_type_id.crm_order_tracking_kind or "other",
                "summary": "\n".join(
                    part
                    for part in (
                        activity.summary or activity.activity_type_id.name,
                        html2plaintext(feedback) if feedback else "",
                    )
                    if part
                ),
                "activity_type_id": activity.activity_type_id.id,
                "user_id": self.env.uid,
            }
            for activity in on_orders
        ]
        result = super()._action_done(feedback=feedback, attachment_ids=attachment_ids)
        if events:
            self.env["crm.order.tracking"]._log_from_activities(events)
        return result
