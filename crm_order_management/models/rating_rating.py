# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import functools

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression

from ..tools import history_import

# What makes a rating the customer's own, or the order's rating.
CUSTOMER_RATING_FIELDS = {
    "rating",
    "feedback",
    "consumed",
    "res_model_id",
    "res_model",
    "res_id",
    "partner_id",
    "message_id",
}


class RatingRating(models.Model):
    _inherit = "rating.rating"

    # A rating link's token is the customer's credential: the public rating page
    # lets whoever holds it rate as the customer. Administrators and the server's
    # own code (sudo: the e-mail templates, the rating page) read it; employees do
    # not, or a salesperson could rate an order in its customer's stead.
    access_token = fields.Char(groups="base.group_system")

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

    @api.model_create_multi
    def create(self, vals_list):
        ratings = super().create(vals_list)
        given = ratings.filtered("consumed")
        if given and not self._may_change_customer_ratings():
            # a rating given after the customer's would replace it as the order's
            given._check_customer_ratings_kept(ratings)
            given._check_customer_ratings_not_given()
        return ratings

    def write(self, vals):
        guarded = not CUSTOMER_RATING_FIELDS.isdisjoint(vals) and not (
            self._may_change_customer_ratings()
        )
        if guarded:
            self._check_customer_ratings_kept()
        res = super().write(vals)
        if {"res_model", "res_model_id", "res_id"} & set(vals):
            # moved onto another record: the user may change that one too
            self.check_access("write")
        if guarded:
            self._check_customer_ratings_not_given()
        return res

    def unlink(self):
        # before the rating module's unlink, which deletes the ratings' messages
        # first (and with them what tells the customer's rating)
        if not self._may_change_customer_ratings():
            self._crm_customer_ratings()._check_customer_ratings_kept()
        return super().unlink()

    # ------------------------------------------------------------
    # THE CUSTOMER'S OWN RATING OF AN ORDER
    # ------------------------------------------------------------

    def _may_change_customer_ratings(self):
        """Who may change or remove the rating a customer gave an order: the
        customer (the rating link and the portal run as the public or portal
        user), sales managers and the history import mode; not salespeople,
        with or without sudo()."""
        user = self.env.user
        return (
            user.share
            or history_import(self.env)
            or user.has_group("sales_team.group_sale_manager")
        )

    def _crm_customer_ratings(self):
        """The ratings of ``self`` that customers gave their orders themselves:
        consumed, of the order's customer (or a contact of its company), and
        posted in the order's chatter by that customer (the rating link and the
        portal do; a salesperson's rating of the order does not)."""
        ratings = self.sudo().filtered(
            lambda r: r.res_model == "crm.order"
            and r.consumed
            and r.partner_id
            and r.message_id.author_id == r.partner_id
        )
        if not ratings:
            return ratings
        orders = self.env["crm.order"].sudo().browse(ratings.mapped("res_id"))
        entities = {order.id: order.commercial_partner_id for order in orders.exists()}
        return ratings.filtered(
            lambda r: r.partner_id.commercial_partner_id == entities.get(r.res_id)
        )

    def _crm_customer_rated_orders(self, exclude=None):
        """The orders of these ratings that their customer rated themselves (by
        a rating other than the ratings ``exclude``)."""
        ratings = self.sudo().filtered(lambda r: r.res_model == "crm.order")
        order_ids = sorted(set(ratings.mapped("res_id")))
        if not order_ids:
            return self.env["crm.order"].sudo()
        ratings = self.sudo().search(
            [
                ("res_model", "=", "crm.order"),
                ("res_id", "in", order_ids),
                ("consumed", "=", True),
                ("message_id", "!=", False),
                ("id", "not in", exclude.ids if exclude else []),
            ]
        )
        return (
            self.env["crm.order"]
            .sudo()
            .browse(sorted(set(ratings._crm_customer_ratings().mapped("res_id"))))
        )

    def _check_customer_ratings_kept(self, exclude=None):
        """Refuse to change or remove the ratings of orders their customer rated
        themselves, or to rate such an order again."""
        orders = self._crm_customer_rated_orders(exclude)
        if orders:
            raise UserError(
                self.env._(
                    "The customer rated %(orders)s themselves: only a sales manager "
                    "can change or remove the customer's rating.",
                    orders=", ".join(orders.mapped("name")),
                )
            )

    def _check_customer_ratings_not_given(self):
        """Refuse to make a rating the customer's own in their stead."""
        orders = self._crm_customer_rated_orders()
        if orders:
            raise UserError(
                self.env._(
                    "Only the customer gives their own rating of %(orders)s (through "
                    "the rating link or the portal), and only a sales manager "
                    "changes it.",
                    orders=", ".join(orders.mapped("name")),
                )
            )
