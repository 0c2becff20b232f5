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
    "data": [
        "security/crm_order_security.xml",
        "security/ir.model.access.csv",
        "data/crm_order_status_data.xml",
        "data/crm_order_type_data.xml",
        "data/crm_order_transition_data.xml",
        "views/crm_order_views.xml",
        "views/crm_order_type_views.xml",
        "views/crm_order_status_views.xml",
        "views/crm_order_transition_views.xml",
        "views/crm_order_status_history_views.xml",
        "views/res_partner_views.xml",
        "views/crm_lead_views.xml",
        "views/product_template_views.xml",
        "views/res_config_settings_views.xml",
        "views/crm_order_menus.xml",
    ],
    "demo": [
        "demo/crm_order_demo.xml",
    ],
    "application": True,
    "installable": True,
}
