# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _

from odoo.addons.crm_order_management.controllers.portal import CrmOrderPortal


class CrmOrderPortalAccount(CrmOrderPortal):
    def _crm_order_documents(self, order_sudo):
        """The order's posted invoices and credit notes, with their portal links."""
        documents = super()._crm_order_documents(order_sudo)
        for invoice in order_sudo.invoice_ids.filtered(
            lambda move: move.state == "posted"
        ):
            documents.append(
                {
                    "name": invoice.name,
                    "url": invoice.get_portal_url(),
                    "kind": _("Credit Note")
                    if invoice.move_type == "out_refund"
                    else _("Invoice"),
                }
            )
        return documents
