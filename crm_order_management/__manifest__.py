# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "CRM Order Management",
    "summary": "Customer orders with product and service lines, order types, "
    "status workflows, tracking, evaluation and order metrics inside the CRM",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/crm-order-management/crm_order_management",
    "author": "CRM Order Management Team",
    "license": "LGPL-3",
    "depends": ["crm", "product", "mail"],
    "data": [],
    "demo": [],
    "application": True,
    "installable": True,
}
