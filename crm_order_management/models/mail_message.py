# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class MailMessage(models.Model):
    _inherit = "mail.message"

    # Customers write on an order from its page in the portal only (see
    # crm.order._check_customer_posts_from_portal): not by creating or changing
    # the order's messages directly, where they would choose the author or the
    # recipients. The portal's routes work as the superuser.

    @api.model_create_multi
    def create(self, vals_list):
        if any(vals.get("model") == "crm.order" for vals in vals_list):
            self.env["crm.order"]._check_customer_posts_from_portal()
        return super().create(vals_list)

    def write(self, vals):
        if (
            self.env.user.share
            and not self.env.su
            and "crm.order" in self.sudo().mapped("model")
        ):
            self.env["crm.order"]._check_customer_posts_from_portal()
        return super().write(vals)
