# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "CRM Order Management - Invoicing on Delivery",
    "summary": "Customer orders invoiced by delivered quantities, per product, when "
    "Invoicing and Inventory are both installed",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/crm-order-management/crm_order_management",
    "author": "CRM Order Management Team",
    "license": "LGPL-3",
    "depends": ["crm_order_management_account", "crm_order_management_stock"],
    "data": [
        "views/product_template_views.xml",
    ],
    "auto_install": True,
    "installable": True,
}
