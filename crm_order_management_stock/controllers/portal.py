# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.addons.crm_order_management.controllers.portal import CrmOrderPortal


class CrmOrderStockPortal(CrmOrderPortal):
    def _crm_order_documents(self, order_sudo):
        """The delivery orders of the order, with their state; delivery orders
        have no portal page of their own: no link."""
        documents = super()._crm_order_documents(order_sudo)
        states = dict(
            order_sudo.env["stock.picking"]
            ._fields["state"]
            ._description_selection(order_sudo.env)
        )
        for picking in order_sudo.picking_ids.filtered(
            lambda p: p.state != "cancel"
        ).sorted("id"):
            documents.append(
                {
                    "name": picking.name,
                    "url": False,
                    "kind": states.get(picking.state, picking.state),
                }
            )
        return documents
