# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import float_compare

from odoo.addons.crm_order_management.tools import with_server_values


class CrmOrderLine(models.Model):
    _inherit = "crm.order.line"

    move_ids = fields.One2many(
        "stock.move", "crm_order_line_id", string="Stock Moves", readonly=True
    )
    qty_delivered = fields.Float(
        string="Delivered",
        compute="_compute_qty_delivered",
        store=True,
        precompute=True,
        compute_sudo=True,
        digits="Product Unit of Measure",
        help="Quantity delivered to the customer by validated delivery orders, "
        "less the validated returns.",
    )

    # Precomputed, so that creating lines costs no second query: it depends on
    # fields that are not computed (or precomputed) only. The quantity of a done
    # move (edited after validation) and its scrap destination are followed by
    # stock.move and stock.move.line (see models/stock.py).
    @api.depends(
        "move_ids.state",
        "move_ids.product_id",
        "move_ids.product_uom",
        "move_ids.location_id",
        "move_ids.location_dest_id",
        "move_ids.origin_returned_move_id",
        "product_id",
        "product_uom_id",
        "order_id.procurement_group_id",
    )
    def _compute_qty_delivered(self):
        for line in self:
            qty = 0.0
            if not line.order_id.procurement_group_id:
                # not delivered yet (a new line): no move to read
                line.qty_delivered = qty
                continue
            outgoing, incoming = line._get_outgoing_incoming_moves()
            for move in outgoing.filtered(lambda m: m.state == "done"):
                qty += move.product_uom._compute_quantity(
                    move.quantity, line.product_uom_id, rounding_method="HALF-UP"
                )
            for move in incoming.filtered(lambda m: m.state == "done"):
                qty -= move.product_uom._compute_quantity(
                    move.quantity, line.product_uom_id, rounding_method="HALF-UP"
                )
            line.qty_delivered = qty

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._relaunch_deliveries()
        return lines

    def write(self, vals):
        res = super().write(vals)
        if not {"product_id", "quantity", "product_uom_id"}.isdisjoint(vals):
            self._relaunch_deliveries()
        return res

    def _relaunch_deliveries(self):
        """Lines added or increased on an order in a delivering status are
        delivered too (as on a confirmed sales order)."""
        lines = self.filtered(
            lambda line: line.order_id.status_id.deliver_on_enter
            and line.order_id.status_category == "open"
        )
        if lines:
            lines._action_launch_stock_rule()

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _is_delivered_good(self):
        """Goods are delivered through Inventory; services are not."""
        self.ensure_one()
        return self.product_id.type == "consu"

    def _get_outgoing_incoming_moves(self):
        """The moves to the customer and the returns from the customer of the
        line, as sale_stock counts them for sales order lines."""
        outgoing = self.env["stock.move"]
        incoming = self.env["stock.move"]
        # With stock_account, a return counts only when it updates the quantities
        # of the order ("to_refund", as for sales orders); without it, every
        # return counts.
        has_to_refund = "to_refund" in self.env["stock.move"]._fields
        for move in self.move_ids:
            if move.state == "cancel" or move.scrapped:
                continue
            if move.product_id != self.product_id:
                continue
            counts = (
                not move.origin_returned_move_id or not has_to_refund or move.to_refund
            )
            if move.location_dest_id._is_outgoing():
                if counts:
                    outgoing |= move
            elif move.location_id._is_outgoing() or move._is_incoming():
                if not has_to_refund or move.to_refund:
                    incoming |= move
        return outgoing, incoming

    def _get_qty_procurement(self):
        """Quantity already asked from Inventory (done or not), in the unit of
        the line."""
        self.ensure_one()
        qty = 0.0
        outgoing, incoming = self._get_outgoing_incoming_moves()
        for move in outgoing:
            moved = move.quantity if move.state == "done" else move.product_uom_qty
            qty += move.product_uom._compute_quantity(
                moved, self.product_uom_id, rounding_method="HALF-UP"
            )
        for move in incoming:
            moved = move.quantity if move.state == "done" else move.product_uom_qty
            qty -= move.product_uom._compute_quantity(
                moved, self.product_uom_id, rounding_method="HALF-UP"
            )
        return qty

    def _get_location_final(self):
        self.ensure_one()
        return self.order_id.partner_id.property_stock_customer

    def _prepare_procurement_values(self, group):
        self.ensure_one()
        order = self.order_id
        warehouse = order._get_delivery_warehouse()
        # To deliver as soon as possible: the order is ready to ship. The deadline
        # is when the order entered its status, the same for every procurement
        # of the order there: stock merges a line's later increase into the move
        # asked before only when their deadlines are equal ("now" split them
        # whenever the two fell in different seconds).
        return {
            "group_id": group,
            "crm_order_line_id": self.id,
            "date_planned": fields.Datetime.now(),
            "date_deadline": order.date_status or fields.Datetime.now(),
            "warehouse_id": warehouse,
            "partner_id": order.partner_id.id,
            "location_final_id": self._get_location_final(),
            "company_id": order.company_id,
            "sequence": self.sequence,
        }

    def _action_launch_stock_rule(self):
        """Ask Inventory for the goods of the lines not asked yet, through the
        procurement of the order (``procurement.group.run``): the routes of the
        warehouse and of the products create the delivery orders, as for a
        confirmed sales order. Runs as superuser: a salesperson who moves an
        order need not have Inventory rights."""
        precision = self.env["decimal.precision"].precision_get(
            "Product Unit of Measure"
        )
        Procurement = self.env["procurement.group"].sudo()
        procurements = []
        for line in self.sudo():
            if not line._is_delivered_good():
                continue
            line = line.with_company(line.company_id)
            qty = line._get_qty_procurement()
            if float_compare(qty, line.quantity, precision_digits=precision) >= 0:
                continue
            group = line.order_id._get_procurement_group()
            values = line._prepare_procurement_values(group)
            product_qty, procurement_uom = line.product_uom_id._adjust_uom_quantities(
                line.quantity - qty, line.product_id.uom_id
            )
            procurements.append(
                Procurement.Procurement(
                    line.product_id,
                    product_qty,
                    procurement_uom,
                    line._get_location_final(),
                    line.product_id.display_name,
                    line.order_id.name,
                    line.order_id.company_id,
                    values,
                )
            )
        if procurements:
            with_server_values(Procurement).run(procurements)
        pickings = self.sudo().order_id.picking_ids.filtered(
            lambda p: p.state not in ("done", "cancel")
        )
        if pickings:
            pickings.action_confirm()
        return True
