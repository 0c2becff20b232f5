# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "CRM Order Management - Inventory",
    "summary": "Customer orders delivered through Inventory: delivery orders from "
    "the order, delivered quantities, statuses moved by the deliveries",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/crm-order-management/crm_order_management",
    "author": "CRM Order Management Team",
    "license": "LGPL-3",
    "depends": ["crm_order_management", "stock"],
    "data": [
        "security/ir.model.access.csv",
        "data/crm_order_stock_data.xml",
        "views/crm_order_views.xml",
        "views/crm_order_status_views.xml",
        "views/stock_picking_views.xml",
    ],
    "demo": [
        "demo/crm_order_stock_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "crm_order_management_stock/static/tests/tours/**/*",
        ],
    },
    "auto_install": True,
    "installable": True,
}
