# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The customer's orders in the portal, as sale and project serve theirs:
/my/crm_orders (/my/orders is sale's) and /my/crm_orders/<id>."""

from urllib.parse import urlencode

from werkzeug.exceptions import Forbidden

from odoo import _, http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

# what the page says after an action (the ?message= of the redirect)
MESSAGES = (
    "received",
    "not_awaiting",
    "rated",
    "bad_rating",
    "not_rateable",
    "already_rated",
)


class CrmOrderPortal(CustomerPortal):
    def _prepare_portal_layout_values(self):
        values = super()._prepare_portal_layout_values()
        # told apart from sale's "Your Orders" when sale is installed too
        values["crm_orders_title"] = request.env["crm.order"]._portal_list_title()
        return values

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "crm_order_count" in counters:
            Order = request.env["crm.order"]
            values["crm_order_count"] = (
                Order.search_count(self._crm_orders_domain())
                if Order.has_access("read")
                else 0
            )
        return values

    def _crm_orders_domain(self):
        """The confirmed orders of the user's commercial entity (the record rules
        say the same for portal users: drafts are the company's own work)."""
        entity = request.env.user.partner_id.commercial_partner_id
        return [
            ("commercial_partner_id", "=", entity.id),
            ("status_category", "!=", "draft"),
        ]

    def _crm_orders_sortings(self):
        return {
            "date": {"label": _("Newest"), "order": "date_order desc, id desc"},
            "name": {"label": _("Number"), "order": "name desc, id desc"},
            "status": {"label": _("Status"), "order": "status_id, date_order desc"},
        }

    def _crm_orders_search_inputs(self):
        return {"name": {"input": "name", "label": _("Search in Number")}}

    @http.route(
        ["/my/crm_orders", "/my/crm_orders/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_crm_orders(self, page=1, sortby=None, search=None, **kw):
        Order = request.env["crm.order"]
        sortings = self._crm_orders_sortings()
        if sortby not in sortings:
            sortby = "date"
        domain = self._crm_orders_domain()
        search = (search or "").strip()
        if search:
            domain += [("name", "ilike", search)]
        url_args = {"sortby": sortby}
        if search:
            url_args["search"] = search
        pager = portal_pager(
            url="/my/crm_orders",
            url_args=url_args,
            total=Order.search_count(domain),
            page=page,
            step=self._items_per_page,
        )
        orders = Order.search(
            domain,
            order=sortings[sortby]["order"],
            limit=self._items_per_page,
            offset=pager["offset"],
        )
        request.session["my_crm_orders_history"] = orders.ids[:100]
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "orders": orders.sudo(),
                "page_name": "crm_order",
                "pager": pager,
                "default_url": "/my/crm_orders",
                "searchbar_sortings": sortings,
                "sortby": sortby,
                "searchbar_inputs": self._crm_orders_search_inputs(),
                "search_in": "name",
                "search": search,
            }
        )
        return request.render("crm_order_management.portal_my_crm_orders", values)

    def _crm_order_check_access(self, order_id, access_token):
        """The order, as the superuser, when the user may read it or holds its
        access token; None otherwise (the routes answer 404 then, whether the
        order exists or not)."""
        try:
            return self._document_check_access(
                "crm.order", order_id, access_token=access_token
            )
        except (AccessError, MissingError):
            return None

    @http.route(
        ["/my/crm_orders/<int:order_id>"], type="http", auth="public", website=True
    )
    def portal_crm_order_page(self, order_id, access_token=None, message=None, **kw):
        order_sudo = self._crm_order_check_access(order_id, access_token)
        if order_sudo is None:
            raise request.not_found()
        # the order as the visitor sees it: the confirmation of receipt is the
        # customer's
        order = request.env["crm.order"].browse(order_sudo.id)
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "order": order_sudo,
                "page_name": "crm_order",
                "timeline": order_sudo._portal_timeline(),
                "can_confirm_receipt": order._portal_can_confirm_receipt(),
                "can_rate": order_sudo.status_category == "done"
                and not order_sudo.rating
                and self._crm_order_may_rate(order),
                "message": message if message in MESSAGES else None,
                "documents": self._crm_order_documents(order_sudo),
            }
        )
        # no session history: Odoo's pager would give out the neighbouring
        # orders' access tokens (see _crm_order_pager)
        values = self._get_page_view_values(
            order_sudo, access_token, values, None, False, **kw
        )
        values.update(self._crm_order_pager(order_sudo))
        return request.render("crm_order_management.portal_crm_order_page", values)

    def _crm_order_pager(self, order_sudo):
        """The previous and next orders of the user's last list: links without
        access token, since the user reads those orders through the record rules
        (only a logged-in user has a list). Odoo's pager adds each order's token
        to its link, and would give the customer's users links that open the
        orders to anyone, even after they leave the customer."""
        history = request.session.get("my_crm_orders_history", [])
        if order_sudo.id not in history:
            return {}
        index = history.index(order_sudo.id)
        return {
            "prev_record": index > 0 and f"/my/crm_orders/{history[index - 1]}",
            "next_record": index < len(history) - 1
            and f"/my/crm_orders/{history[index + 1]}",
        }

    def _crm_order_may_rate(self, order):
        try:
            order._portal_check_rater()
        except AccessError:
            return False
        return True

    def _crm_order_documents(self, order_sudo):
        """Documents of the order shown on its page (invoices, deliveries), as
        ``[{"name", "url", "kind"}]``: none here; the glue addons add theirs."""
        return []

    def _crm_order_redirect(self, order_sudo, access_token, message):
        query = {"message": message}
        if access_token:
            query["access_token"] = access_token
        return request.redirect(f"/my/crm_orders/{order_sudo.id}?{urlencode(query)}")

    @http.route(
        ["/my/crm_orders/<int:order_id>/confirm_receipt"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_crm_order_confirm_receipt(self, order_id, access_token=None, **kw):
        order_sudo = self._crm_order_check_access(order_id, access_token)
        if order_sudo is None:
            raise request.not_found()
        order = request.env["crm.order"].browse(order_sudo.id)
        try:
            order._portal_confirm_receipt()
        except AccessError as error:
            # a visitor who sees the order but is not its customer (a link, a
            # user of the company who may not change the order)
            raise Forbidden() from error
        except UserError:
            return self._crm_order_redirect(order_sudo, access_token, "not_awaiting")
        return self._crm_order_redirect(order_sudo, access_token, "received")

    @http.route(
        ["/my/crm_orders/<int:order_id>/rate"],
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
    )
    def portal_crm_order_rate(
        self, order_id, access_token=None, rating=None, comment=None, **kw
    ):
        """The customer's rating of a completed order: the same rating as the
        link of the Completed e-mail (rating.rating of the customer), given by
        a portal user of the customer (see crm.order._portal_check_rater)."""
        order_sudo = self._crm_order_check_access(order_id, access_token)
        if order_sudo is None:
            raise request.not_found()
        try:
            request.env["crm.order"].browse(order_sudo.id)._portal_check_rater()
        except AccessError as error:
            raise Forbidden() from error
        if order_sudo.status_category != "done":
            return self._crm_order_redirect(order_sudo, access_token, "not_rateable")
        if order_sudo.rating:
            # once: the customer's rating is not overwritten from the page
            return self._crm_order_redirect(order_sudo, access_token, "already_rated")
        try:
            value = int(rating)
        except (TypeError, ValueError):
            value = 0
        if value not in range(1, 6):
            return self._crm_order_redirect(order_sudo, access_token, "bad_rating")
        order_sudo.rating_apply(
            value,
            token=order_sudo._rating_get_access_token(),
            feedback=(comment or "").strip()[:2000] or False,
        )
        return self._crm_order_redirect(order_sudo, access_token, "rated")
