# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_is_zero

from odoo.addons.crm_order_management.tools import with_server_values

# the states of the moves Inventory has yet to do
OPEN_MOVE_STATES = ("draft", "waiting", "confirmed", "partially_available", "assigned")


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
        # as sale_stock: the product of a line Inventory moves is kept (its moves
        # stay the line's: the delivered quantity of another product would read 0)
        moved = {}
        if "product_id" in vals:
            moved = {line: line.product_id for line in self if line._get_moves()}
        delivering = not {"product_id", "quantity", "product_uom_id"}.isdisjoint(vals)
        waiting = self.order_id._orders_waiting_for_goods() if delivering else None
        res = super().write(vals)
        changed = [
            line for line, product in moved.items() if line.product_id != product
        ]
        if changed:
            line = changed[0]
            raise UserError(
                self.env._(
                    "The product of line %(product)s of order %(order)s cannot be "
                    "changed: Inventory moved it (%(pickings)s). Add a line for the "
                    "other product instead.",
                    product=moved[line].display_name,
                    order=line.order_id.name,
                    pickings=line._move_references(line._get_moves()),
                )
            )
        if not {"quantity", "product_uom_id"}.isdisjoint(vals):
            self._check_quantity_delivered()
        if delivering:
            self._relaunch_deliveries()
            if "quantity" in vals:
                self._warn_deliveries_shipping_more()
            waiting._move_on_delivered_now()
        return res

    def _warn_deliveries_shipping_more(self):
        """As sale_stock warns the delivery orders of a decreased sales order line:
        a delivery order stock could not lower (a printed one) still ships more
        than the line now asks for; its responsible gets a warning activity."""
        for line in self.sudo():
            open_moves = line._get_open_outgoing_moves()
            if not open_moves:
                continue
            rounding = line.product_uom_id.rounding or 0.01
            shipping = line.qty_delivered + sum(
                move.product_uom._compute_quantity(
                    move.product_uom_qty, line.product_uom_id, rounding_method="HALF-UP"
                )
                for move in open_moves
            )
            if float_compare(shipping, line.quantity, precision_rounding=rounding) <= 0:
                continue
            for picking in open_moves.picking_id:
                picking.activity_schedule(
                    "mail.mail_activity_data_warning",
                    note=self.env._(
                        "Order %(order)s now asks for %(quantity)s of %(product)s, "
                        "delivered and to deliver: %(shipping)s. Lower this delivery "
                        "order by hand.",
                        order=line.order_id.name,
                        quantity=line._format_quantity(line.quantity),
                        product=line.product_id.display_name,
                        shipping=line._format_quantity(shipping),
                    ),
                    user_id=picking.user_id.id or SUPERUSER_ID,
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_delivered(self):
        """As sale_stock keeps the lines of a confirmed order: a line whose goods
        were delivered (and not all returned) or are on their way is kept, so that
        the order keeps what its customer has or gets."""
        precision = self.env["decimal.precision"].precision_get(
            "Product Unit of Measure"
        )
        for line in self.sudo():
            if not float_is_zero(line.qty_delivered, precision_digits=precision):
                raise UserError(
                    self.env._(
                        "Line %(product)s of order %(order)s cannot be deleted: "
                        "%(quantity)s were delivered (%(pickings)s). Return the goods "
                        "first (Return button of the delivery order).",
                        product=line.product_id.display_name,
                        order=line.order_id.name,
                        quantity=line._format_quantity(line.qty_delivered),
                        pickings=line._move_references(
                            line._get_outgoing_incoming_moves()[0].filtered(
                                lambda m: m.state == "done"
                            )
                        ),
                    )
                )
            open_moves = line._get_moves(states=OPEN_MOVE_STATES)
            if open_moves:
                raise UserError(
                    self.env._(
                        "Line %(product)s of order %(order)s cannot be deleted: "
                        "delivery orders %(pickings)s still have to deliver its goods. "
                        "Have its moves cancelled in Inventory first.",
                        product=line.product_id.display_name,
                        order=line.order_id.name,
                        pickings=line._move_references(open_moves),
                    )
                )

    def unlink(self):
        waiting = self.order_id._orders_waiting_for_goods()
        res = super().unlink()
        waiting.exists()._move_on_delivered_now()
        return res

    def _check_quantity_delivered(self):
        """As sale_stock: the ordered quantity of a line does not go below what
        was delivered; a return brings the goods back first."""
        for line in self.sudo():
            if (
                float_compare(
                    line.quantity,
                    line.qty_delivered,
                    precision_rounding=line.product_uom_id.rounding or 0.01,
                )
                < 0
            ):
                raise UserError(
                    self.env._(
                        "The quantity of line %(product)s of order %(order)s cannot "
                        "be lowered below its delivered quantity (%(delivered)s): "
                        "create a return of the delivery order first.",
                        product=line.product_id.display_name,
                        order=line.order_id.name,
                        delivered=line._format_quantity(line.qty_delivered),
                    )
                )

    def _relaunch_deliveries(self):
        """Lines added or changed on an order in a delivering status are
        delivered as they now are (as on a confirmed sales order). In another
        status, a line whose delivery is under way only ships less when its
        quantity was lowered: nothing more is asked outside a delivering status."""
        lines = self.filtered(lambda line: line.order_id.status_category == "open")
        delivering = lines.filtered(
            lambda line: line.order_id.status_id.deliver_on_enter
        )
        if delivering:
            delivering._action_launch_stock_rule()
        under_way = (lines - delivering).filtered(
            lambda line: line._get_moves(states=OPEN_MOVE_STATES)
        )
        if under_way:
            under_way._action_launch_stock_rule(decrease_only=True)

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _is_delivered_good(self):
        """Goods are delivered through Inventory; services are not."""
        self.ensure_one()
        return self.product_id.type == "consu"

    def _format_quantity(self, quantity):
        """``quantity`` as the messages show it: 3, 2.5."""
        return f"{quantity:g}"

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

    def _get_open_outgoing_moves(self):
        """The moves to the customer of the line that Inventory has yet to do."""
        self.ensure_one()
        outgoing = self._get_outgoing_incoming_moves()[0]
        return outgoing.filtered(lambda m: m.state in OPEN_MOVE_STATES)

    def _get_joined_moves(self):
        """The open moves to the customer of the line that a new procurement of
        the line joins: stock adds its move to the delivery order of the same
        group, locations and operation type not printed yet, and merges it into
        the moves of the same line and deadline there."""
        self.ensure_one()
        open_moves = self._get_open_outgoing_moves()
        if not open_moves:
            return open_moves
        picking = open_moves[0]._search_picking_for_assignation()
        moves = open_moves.filtered(lambda m: picking and m.picking_id == picking)
        return moves.filtered(lambda m: m.date_deadline == moves[:1].date_deadline)

    def _get_moves(self, states=None):
        """The moves of the line that are not cancelled, or those in
        ``states``."""
        self.ensure_one()
        return self.sudo().move_ids.filtered(
            lambda m: m.state in states if states else m.state != "cancel"
        )

    def _move_references(self, moves):
        """The references of ``moves`` for a message: their transfers' names,
        once each, oldest first."""
        return ", ".join(dict.fromkeys(moves.sorted("id").mapped("reference")))

    def _get_location_final(self):
        self.ensure_one()
        return self.order_id.partner_id.property_stock_customer

    def _prepare_procurement_values(self, group):
        self.ensure_one()
        order = self.order_id
        warehouse = order._get_delivery_warehouse()
        # To deliver as soon as possible: the order is ready to ship. The deadline
        # is the one of the line's move under way, else when the order entered its
        # status: stock merges a later change of the line (an increase, or a
        # decrease: a negative procurement) into the move asked before only when
        # their deadlines are equal ("now" split them whenever the two fell in
        # different seconds).
        deadline = (
            self._get_joined_moves()[:1].date_deadline
            or order.date_status
            or fields.Datetime.now()
        )
        return {
            "group_id": group,
            "crm_order_line_id": self.id,
            "date_planned": fields.Datetime.now(),
            "date_deadline": deadline,
            "warehouse_id": warehouse,
            "partner_id": order.partner_id.id,
            "location_final_id": self._get_location_final(),
            "company_id": order.company_id,
            "sequence": self.sequence,
        }

    def _get_procurement_quantity(self):
        """What to ask Inventory for the line now, in its unit: the quantity not
        asked yet, or, negative, what its delivery under way ships beyond the
        ordered quantity (a lowered quantity). As sale_stock, a decrease runs the
        procurement with the negative difference, which stock takes from the open
        move it joins; it is bounded by what that move ships, so that it never
        turns into a return of goods (a printed delivery order, to which stock
        adds nothing, is left as it is)."""
        self.ensure_one()
        difference = self.quantity - self._get_qty_procurement()
        if difference < 0:
            absorbable = sum(
                move.product_uom._compute_quantity(
                    move.product_uom_qty, self.product_uom_id, rounding_method="HALF-UP"
                )
                for move in self._get_joined_moves()
            )
            difference = max(difference, -absorbable)
        return difference

    def _action_launch_stock_rule(self, decrease_only=False):
        """Ask Inventory for the goods of the lines not asked yet, or for less
        when their quantity was lowered (only that with ``decrease_only``),
        through the procurement of the order (``procurement.group.run``): the
        routes of the warehouse and of the products create (or lower) the
        delivery orders, as for a confirmed sales order. Runs as superuser: a
        salesperson who moves an order need not have Inventory rights."""
        precision = self.env["decimal.precision"].precision_get(
            "Product Unit of Measure"
        )
        Procurement = self.env["procurement.group"].sudo()
        procurements = []
        for line in self.sudo():
            if not line._is_delivered_good():
                continue
            line = line.with_company(line.company_id)
            difference = line._get_procurement_quantity()
            if float_is_zero(difference, precision_digits=precision) or (
                decrease_only and difference > 0
            ):
                continue
            group = line.order_id._get_procurement_group()
            values = line._prepare_procurement_values(group)
            product_qty, procurement_uom = line.product_uom_id._adjust_uom_quantities(
                difference, line.product_id.uom_id
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
