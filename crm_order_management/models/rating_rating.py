# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import functools

from odoo import api, models
from odoo.exceptions import ValidationError
from odoo.osv import expression


class RatingRating(models.Model):
    _inherit = "rating.rating"

    # A rating of an order carries its rating link: a user sees the ratings of the
    # orders they may read, changes those of the orders they may change.

    @api.model
    def _search(self, domain, *args, **kwargs):
        # An access rule: like record rules, not applied to the superuser (who
        # also uninstalls the addon, when the orders' table is gone).
        if not self.env.su:
            domain = expression.AND(
                [
                    domain,
                    [
                        "|",
                        ("res_model", "!=", "crm.order"),
                        ("res_id", "in", self.env["crm.order"]._search([])),
                    ],
                ]
            )
        return super()._search(domain, *args, **kwargs)

    def _check_access(self, operation):
        # not called for the superuser (check_access and _filtered_access skip it)
        result = super()._check_access(operation)
        forbidden = result[0] if result else self.browse()
        on_orders = (
            (self - forbidden).sudo().filtered(lambda r: r.res_model == "crm.order")
        )
        if not on_orders:
            return result
        orders = self.env["crm.order"].browse(on_orders.mapped("res_id"))
        allowed = orders._filtered_access("read" if operation == "read" else "write")
        denied = on_orders.filtered(lambda r: r.res_id not in allowed.ids)
        if not denied:
            return result
        forbidden |= denied.with_env(self.env)
        return forbidden, functools.partial(
            self.env["ir.rule"]._make_access_error, operation, forbidden
        )

    @api.constrains("res_model", "res_id", "rating", "consumed")
    def _check_crm_order_rating(self):
        """The rating of an order, whatever gives it (the rating link, the order's
        form, a message with a rating, XML-RPC on rating.rating): a whole number
        from 1 to 5, of a completed order."""
        ratings = self.filtered(lambda r: r.res_model == "crm.order" and r.consumed)
        if not ratings:
            return
        wrong = ratings.filtered(lambda r: r.rating not in (1, 2, 3, 4, 5))
        if wrong:
            raise ValidationError(
                self.env._(
                    "A rating is a whole number from 1 to 5, not %(value)r.",
                    value=wrong[0].rating,
                )
            )
        orders = self.env["crm.order"].sudo().browse(ratings.mapped("res_id"))
        not_done = orders.exists().filtered(lambda o: o.status_category != "done")
        if not_done:
            raise ValidationError(
                self.env._(
                    "Only completed orders can be rated (%(orders)s).",
                    orders=", ".join(not_done.mapped("name")),
                )
            )

    def write(self, vals):
        res = super().write(vals)
        if {"res_model", "res_model_id", "res_id"} & set(vals):
            # moved onto another record: the user may change that one too
            self.check_access("write")
        return res
