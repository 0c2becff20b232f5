/** @odoo-module **/
// Run by tests/test_ui.py on an order in Awaiting Shipment (made by the test) whose
// delivery is ready: the user opens the delivery from the order, validates it, and
// finds the order moved to Awaiting Receipt.

import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("crm_order_stock_delivery_tour", {
    steps: () => [
        {
            content: "The order awaits shipment",
            trigger: ".o_form_view .o_statusbar_status button[aria-checked=true]:contains(Awaiting Shipment)",
        },
        {
            content: "Nothing delivered yet",
            trigger: ".o_field_widget[name=delivery_status]:contains(Not Delivered)",
        },
        {
            content: "Open its delivery",
            trigger: ".o-form-buttonbox button[name=action_view_delivery]:contains(Delivery)",
            run: "click",
        },
        {
            content: "Validate the delivery",
            trigger: ".o_form_view .o_statusbar_buttons button[name=button_validate]",
            run: "click",
        },
        {
            content: "The delivery is done",
            trigger: ".o_form_view .o_statusbar_status button[aria-checked=true]:contains(Done)",
        },
        {
            content: "Back to the order (not to the list of orders)",
            trigger: ".o_breadcrumb .breadcrumb-item a:not(:contains(Orders))",
            run: "click",
        },
        {
            content: "The order moved on by itself",
            trigger: ".o_form_view .o_statusbar_status button[aria-checked=true]:contains(Awaiting Receipt)",
        },
        {
            content: "and is delivered",
            trigger: ".o_field_widget[name=delivery_status]:contains(Delivered)",
        },
    ],
});
