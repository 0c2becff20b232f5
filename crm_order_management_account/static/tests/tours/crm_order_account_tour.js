/** @odoo-module **/
// Run by tests/test_ui.py on an order in Awaiting Payment (made by the test): the user
// invoices it from the order, confirms the invoice, registers its payment, and finds
// the order moved to Awaiting Shipment.

import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("crm_order_account_payment_tour", {
    steps: () => [
        {
            content: "The order awaits its payment",
            trigger: ".o_form_view .o_statusbar_status button[aria-checked=true]:contains(Awaiting Payment)",
        },
        {
            content: "Invoice it",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_create_invoice_and_open]",
            run: "click",
        },
        {
            content: "Confirm the draft invoice",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_post]",
            run: "click",
        },
        {
            content: "Register its payment",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_register_payment]",
            run: "click",
        },
        {
            content: "Create the payment",
            trigger: ".modal button[name=action_create_payments]",
            run: "click",
        },
        {
            content: "The invoice is paid",
            trigger: ".o_form_view .ribbon span:contains(Paid), .o_form_view .ribbon span:contains(In Payment)",
        },
        {
            content: "Back to the order (not to the list of orders)",
            trigger: ".o_breadcrumb .breadcrumb-item a:not(:contains(Orders))",
            run: "click",
        },
        {
            content: "The order moved on by itself",
            trigger: ".o_form_view .o_statusbar_status button[aria-checked=true]:contains(Awaiting Shipment)",
        },
        {
            content: "and is paid",
            trigger: ".o_field_widget[name=payment_state]:contains(Paid)",
        },
    ],
});
