# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.crm_order_management.tools import check_client_values


class ProcurementGroup(models.Model):
    _inherit = "procurement.group"
    # the links between Inventory and the orders are the server's: it sets them
    # through the order's procurement
    _crm_server_fields = ("crm_order_id",)

    crm_order_id = fields.Many2one(
        "crm.order", string="Customer Order", index="btree_not_null", readonly=True
    )

    @api.model_create_multi
    def create(self, vals_list):
        check_client_values(self, vals_list, fnames=self._crm_server_fields)
        return super().create(vals_list)

    def write(self, vals):
        check_client_values(self, [vals], fnames=self._crm_server_fields)
        return super().write(vals)


class StockRule(models.Model):
    _inherit = "stock.rule"

    def _get_custom_move_fields(self):
        return super()._get_custom_move_fields() + ["crm_order_line_id"]


class _CopiedOrderLineId(int):
    """The order line of a move that Inventory copies (a backorder, a return, a
    split of a move): the link of the copied move, given by ``copy_data``. No
    client can send one: XML-RPC and JSON-RPC give plain integers."""

    __slots__ = ()


class StockMove(models.Model):
    _inherit = "stock.move"
    _crm_server_fields = ("crm_order_line_id",)

    crm_order_line_id = fields.Many2one(
        "crm.order.line",
        string="Customer Order Line",
        index="btree_not_null",
        readonly=True,
    )

    @api.constrains("crm_order_line_id", "group_id", "company_id", "picking_id")
    def _check_crm_order_line_id(self):
        """A move delivers an order line only within the order's procurement
        group (its transfer's too) and company: the order's deliveries are the
        transfers of its group, its delivered quantities those of its lines'
        moves."""
        for move in self.sudo().filtered("crm_order_line_id"):
            order = move.crm_order_line_id.order_id
            group = order.procurement_group_id
            if (
                move.group_id != group
                or (move.picking_id and move.picking_id.group_id != group)
                or move.company_id != order.company_id
            ):
                raise ValidationError(
                    self.env._(
                        "Stock move %(move)s cannot deliver a line of order "
                        "%(order)s: the moves of an order's lines belong to its "
                        "procurement group (%(group)s) and company (%(company)s).",
                        move=move.reference or move.product_id.display_name,
                        order=order.name,
                        group=order.procurement_group_id.name or self.env._("none"),
                        company=order.company_id.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        # the link of a copied move is the server's; any other is refused to
        # clients, as on write
        checked = []
        for vals in vals_list:
            line_id = vals.get("crm_order_line_id")
            if isinstance(line_id, _CopiedOrderLineId):
                vals = {**vals, "crm_order_line_id": int(line_id)}
            elif line_id:
                check_client_values(self, [vals], fnames=self._crm_server_fields)
            checked.append(vals)
        return super().create(checked)

    def copy_data(self, default=None):
        vals_list = super().copy_data(default=default)
        for move, vals in zip(self, vals_list, strict=True):
            line = move.crm_order_line_id
            if line and vals.get("crm_order_line_id") == line.id:
                vals["crm_order_line_id"] = _CopiedOrderLineId(line.id)
        return vals_list

    def write(self, vals):
        check_client_values(self, [vals], fnames=self._crm_server_fields)
        res = super().write(vals)
        if "quantity" in vals:
            self._crm_recompute_delivered()
        return res

    def _crm_recompute_delivered(self):
        """The delivered quantity of the order lines of done moves whose
        quantity changed after their validation."""
        lines = self.filtered(lambda m: m.state == "done").crm_order_line_id
        if lines:
            # as if their moves changed: recomputes what depends on them
            lines.modified(["move_ids"])

    @api.model
    def _prepare_merge_moves_distinct_fields(self):
        return super()._prepare_merge_moves_distinct_fields() + ["crm_order_line_id"]

    def _get_source_document(self):
        res = super()._get_source_document()
        return self.crm_order_line_id.order_id or res


class StockPicking(models.Model):
    _inherit = "stock.picking"

    crm_order_id = fields.Many2one(
        "crm.order",
        string="Customer Order",
        compute="_compute_crm_order_id",
        store=True,
        index="btree_not_null",
    )

    @api.constrains("group_id")
    def _check_crm_order_group(self):
        # the transfer of an order's moves stays in the order's group
        self.move_ids._check_crm_order_line_id()

    @api.depends("group_id.crm_order_id")
    def _compute_crm_order_id(self):
        for picking in self:
            picking.crm_order_id = picking.group_id.crm_order_id

    def write(self, vals):
        check_client_values(self, [vals], fnames=("crm_order_id",))
        return super().write(vals)

    def _action_done(self):
        res = super()._action_done()
        self._crm_order_after_done()
        return res

    def _crm_order_after_done(self):
        """After the validation of delivery orders: the orders whose goods are
        now all delivered move on (a system change naming the delivery order,
        whoever validated it: an Inventory user may not write orders, the
        workflow engine still checks that the system may make the change), and
        the salesperson of an order whose goods came back gets an activity."""
        pickings = self.sudo()
        returned = pickings.move_ids.filtered(
            lambda m: m.state == "done"
            and m.crm_order_line_id
            and m.location_id._is_outgoing()
        )
        for order, moves in returned.grouped(
            lambda m: m.crm_order_line_id.order_id
        ).items():
            order.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("Goods returned"),
                note=self.env._(
                    "%(pickings)s returned goods of this order: %(products)s. The "
                    "order does not move back by itself; check what the customer "
                    "still expects.",
                    pickings=", ".join(moves.picking_id.mapped("name")),
                    products=", ".join(
                        f"{move.product_id.display_name} ({move.quantity:g})"
                        for move in moves
                    ),
                ),
                user_id=(order.user_id or self.env.user).id,
            )
        for picking in pickings:
            orders = picking.move_ids.filtered(
                lambda m: m.state == "done" and m.location_dest_id._is_outgoing()
            ).crm_order_line_id.order_id
            orders._move_on_delivered(trigger=picking)


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    @api.model_create_multi
    def create(self, vals_list):
        move_lines = super().create(vals_list)
        move_lines.move_id._crm_recompute_delivered()
        return move_lines

    def write(self, vals):
        moves = self.move_id
        res = super().write(vals)
        if not {"quantity", "move_id", "product_uom_id"}.isdisjoint(vals):
            (moves | self.move_id)._crm_recompute_delivered()
        return res

    def unlink(self):
        moves = self.move_id
        res = super().unlink()
        moves.exists()._crm_recompute_delivered()
        return res
