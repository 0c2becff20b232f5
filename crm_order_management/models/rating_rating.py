# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class RatingRating(models.Model):
    _inherit = "rating.rating"

    @api.model_create_multi
    def create(self, vals_list):
        ratings = super().create(vals_list)
        ratings._check_crm_order_access()
        return ratings

    def write(self, vals):
        self._check_crm_order_access()
        res = super().write(vals)
        if {"res_model", "res_model_id", "res_id"} & set(vals):
            self._check_crm_order_access()
        return res

    def _check_crm_order_access(self):
        """A rating of an order carries a link that rates it: only users who may
        change the order make or change one (the customer's link is applied by
        the rating controller, with sudo(), which passes the access check)."""
        order_ids = [r.res_id for r in self.sudo() if r.res_model == "crm.order"]
        if order_ids:
            self.env["crm.order"].browse(order_ids).check_access("write")
