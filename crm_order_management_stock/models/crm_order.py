# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

from odoo.addons.crm_order_management.tools.validation import (
    history_import,
    with_server_values,
)


class CrmOrder(models.Model):
    _inherit = "crm.order"
    # set by the server only: the procurement of the order's deliveries (refused to
    # clients by the addon's own check, see tools.check_client_values)
    _crm_server_fields = ("procurement_group_id",)

    procurement_group_id = fields.Many2one(
        "procurement.group",
        readonly=True,
        copy=False,
        index="btree_not_null",
        groups="stock.group_stock_user",
    )
    picking_ids = fields.One2many(
        "stock.picking",
        "crm_order_id",
        string="Transfers",
        readonly=True,
        groups="stock.group_stock_user",
    )
    delivery_count = fields.Integer(
        string="Delivery Orders",
        compute="_compute_delivery_count",
        compute_sudo=True,
    )
    delivery_status = fields.Selection(
        [
            ("pending", "Not Delivered"),
            ("partial", "Partially Delivered"),
            ("delivered", "Delivered"),
        ],
        compute="_compute_delivery_status",
        store=True,
        compute_sudo=True,
        help="How much of the goods of the order its validated delivery orders "
        "brought to the customer (returns deducted); empty for an order without "
        "delivery orders.",
    )

    @api.depends("picking_ids")
    def _compute_delivery_count(self):
        for order in self:
            order.delivery_count = len(order.picking_ids)

    @api.depends(
        "procurement_group_id",
        "picking_ids.state",
        "line_ids.qty_delivered",
        "line_ids.quantity",
        "line_ids.product_id",
    )
    def _compute_delivery_status(self):
        for order in self:
            # an order delivers through its procurement group: without one (a
            # new order), no delivery to read
            if not order.procurement_group_id:
                order.delivery_status = False
                continue
            pickings = order.picking_ids.filtered(lambda p: p.state != "cancel")
            goods = order.line_ids.filtered(lambda line: line._is_delivered_good())
            if not pickings or not goods:
                order.delivery_status = False
            elif order._goods_delivered():
                order.delivery_status = "delivered"
            elif any(
                float_compare(
                    line.qty_delivered,
                    0.0,
                    precision_rounding=line.product_uom_id.rounding or 0.01,
                )
                > 0
                for line in goods
            ):
                order.delivery_status = "partial"
            else:
                order.delivery_status = "pending"

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_view_delivery(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "stock.action_picking_tree_all"
        )
        pickings = self.picking_ids
        if len(pickings) == 1:
            action["views"] = [(self.env.ref("stock.view_picking_form").id, "form")]
            action["res_id"] = pickings.id
        else:
            action["domain"] = [("id", "in", pickings.ids)]
        action["context"] = {"create": False}
        return action

    # ------------------------------------------------------------
    # WORKFLOW
    # ------------------------------------------------------------

    def _change_status(self, status, vals=None, automatic=False, trigger=None):
        cancelling = self.browse()
        # (the status may be one the user does not read: a portal user's)
        if status.sudo().category == "cancel" and not history_import(self.env):
            cancelling = self.filtered(lambda o: o.status_id != status)
            cancelling._check_delivered_before_cancel()
        res = super()._change_status(status, vals, automatic=automatic, trigger=trigger)
        if cancelling:
            cancelling.sudo().picking_ids.filtered(
                lambda p: p.state not in ("done", "cancel")
            ).action_cancel()
        return res

    def _check_delivered_before_cancel(self):
        """An order whose goods were delivered (and not returned) is not
        cancelled: the customer has them. Read from the validated transfers of the
        order (its delivery orders less its returns), whatever became of its
        lines. Its done deliveries of those goods are named."""
        for order in self.sudo():
            held = order._goods_with_customer()
            if held:
                pickings = held.picking_id.filtered(lambda p: p.state == "done")
                raise UserError(
                    self.env._(
                        "Order %(order)s cannot be cancelled: these delivery orders "
                        "are done and their goods not returned: %(pickings)s. "
                        "Return the goods first (Return button of the delivery "
                        "order).",
                        order=order.name,
                        pickings=", ".join(pickings.sorted("id").mapped("name")),
                    )
                )

    def _goods_with_customer(self):
        """The done moves to the customer of the goods the customer still has
        from the order: per product, the validated moves of its transfers (and of
        its lines) to the customer less those back from the customer, whether
        the returns update the order's quantities or not: what counts is where
        the goods are."""
        self.ensure_one()
        order = self.sudo()
        moves = (order.picking_ids.move_ids | order.line_ids.move_ids).filtered(
            lambda m: m.state == "done" and not m.scrapped
        )
        held = defaultdict(float)
        delivered = moves.browse()
        for move in moves:
            quantity = move.product_uom._compute_quantity(
                move.quantity, move.product_id.uom_id, rounding_method="HALF-UP"
            )
            if move.location_dest_id._is_outgoing():
                held[move.product_id] += quantity
                delivered |= move
            elif move.location_id._is_outgoing():
                held[move.product_id] -= quantity
        return delivered.filtered(
            lambda m: float_compare(
                held[m.product_id], 0.0, precision_rounding=m.product_id.uom_id.rounding
            )
            > 0
        )

    def _run_status_automation(self):
        res = super()._run_status_automation()
        delivering = self.filtered(lambda o: o.status_id.deliver_on_enter)
        if delivering:
            delivering.line_ids._action_launch_stock_rule()
        # Orders with nothing (left) to deliver, as orders of services only, move
        # on at once.
        self.filtered(lambda o: o.status_id.delivered_status_id)._move_on_delivered()
        return res

    def _move_on_delivered(self, trigger=None):
        """Move the orders whose goods are all delivered to the status their
        status names for that ("When Delivered, Move To"), as a system change
        triggered by ``trigger`` (the delivery order). Orders the system may not
        move there (no automatic transition) stay, with a note."""
        for order in self.sudo():
            target = order.status_id.delivered_status_id
            if not target or not order._goods_delivered():
                continue
            if target in order._allowed_next_statuses(automatic=True):
                order._change_status(target, automatic=True, trigger=trigger)
            else:
                order.message_post(
                    body=self.env._(
                        "All goods are delivered, but the system may not move the "
                        "order from %(from_status)s to %(to_status)s: move it by "
                        "hand or allow the transition to the system.",
                        from_status=order.status_id.name,
                        to_status=target.name,
                    )
                )

    def _orders_waiting_for_goods(self):
        """The orders of ``self`` waiting in a status for their goods to be
        delivered (and not all delivered)."""
        return self.sudo().filtered(
            lambda o: o.status_category == "open"
            and o.status_id.delivered_status_id
            and not o._goods_delivered()
        )

    def _move_on_delivered_now(self):
        """Orders waiting for their goods that no longer wait after their lines
        changed (lowered to what was delivered, a line removed) move on as on a
        validated delivery, naming their last validated delivery order."""
        for order in self.exists().filtered(lambda o: o._goods_delivered()):
            done = order.picking_ids.filtered(
                lambda p: p.state == "done" and p.picking_type_code == "outgoing"
            )
            order._move_on_delivered(trigger=done.sorted("date_done")[-1:] or None)

    def _goods_delivered(self):
        """Whether every goods line of the order is delivered in full."""
        self.ensure_one()
        return all(
            float_compare(
                line.qty_delivered,
                line.quantity,
                precision_rounding=line.product_uom_id.rounding or 0.01,
            )
            >= 0
            for line in self.line_ids
            if line._is_delivered_good()
        )

    # ------------------------------------------------------------
    # PROCUREMENT
    # ------------------------------------------------------------

    def _get_delivery_warehouse(self):
        self.ensure_one()
        return (
            self.env["stock.warehouse"]
            .sudo()
            .search([("company_id", "=", self.company_id.id)], limit=1)
        )

    def _get_procurement_group(self):
        """The procurement group of the order (one per order), created at its
        first delivery."""
        self.ensure_one()
        order = self.sudo()
        if not order.procurement_group_id:
            group = with_server_values(order.env["procurement.group"]).create(
                {
                    "name": order.name,
                    "move_type": "direct",
                    "crm_order_id": order.id,
                    "partner_id": order.partner_id.id,
                }
            )
            with_server_values(order).write({"procurement_group_id": group.id})
        elif order.procurement_group_id.partner_id != order.partner_id:
            order.procurement_group_id.partner_id = order.partner_id
        return order.procurement_group_id
