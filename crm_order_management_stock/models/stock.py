# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

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


class StockMove(models.Model):
    _inherit = "stock.move"
    _crm_server_fields = ("crm_order_line_id",)

    crm_order_line_id = fields.Many2one(
        "crm.order.line",
        string="Customer Order Line",
        index="btree_not_null",
        readonly=True,
    )

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
