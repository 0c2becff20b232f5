# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "CRM Order Management - Invoicing",
    "summary": "Taxes, invoices and payment-driven statuses for customer orders",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/crm-order-management/crm_order_management",
    "author": "CRM Order Management Team",
    "license": "LGPL-3",
    "depends": ["crm_order_management", "account"],
    "data": [
        "data/crm_order_account_data.xml",
        "views/crm_order_views.xml",
        "views/crm_order_status_views.xml",
        "views/account_move_views.xml",
        "views/crm_order_portal_templates.xml",
        "wizard/crm_order_cancel_views.xml",
    ],
    "demo": [
        "demo/crm_order_account_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "crm_order_management_account/static/tests/tours/**/*",
        ],
    },
    "auto_install": True,
    "installable": True,
}
