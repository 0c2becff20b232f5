# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models

# What ties a message to the customer's rating it carries (see rating.rating)
CUSTOMER_RATING_MESSAGE_FIELDS = {"author_id", "model", "res_id"}


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
        # whoever may change the order may edit its messages: the message of the
        # customer's own rating keeps its author and document, or the rating
        # would no longer be the customer's (and a salesperson could change it)
        if not CUSTOMER_RATING_MESSAGE_FIELDS.isdisjoint(vals):
            self._check_customer_ratings_kept()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_customer_rating(self):
        # the database deletes the ratings of a deleted message
        self._check_customer_ratings_kept()

    def _check_customer_ratings_kept(self):
        ratings = self.env["rating.rating"]
        if ratings._may_change_customer_ratings():
            return
        self.sudo().rating_ids._crm_customer_ratings()._check_customer_ratings_kept()
