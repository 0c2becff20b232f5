/** @odoo-module **/
// The customer's path in the portal, run by tests/test_portal.py as a portal user
// whose company has one order awaiting receipt (made by the test).

import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("crm_order_portal_tour", {
    url: "/my",
    steps: () => [
        {
            content: "Open the orders from the portal's home",
            trigger: "a[href='/my/crm_orders']:visible",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Open the order awaiting receipt",
            trigger: "tr:has(span:contains('Awaiting Receipt')) a",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Confirm the receipt",
            trigger: "button.o_crm_order_confirm_receipt",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The order is completed",
            trigger: ".alert-success:contains('your order is completed')",
        },
        {
            content: "Give 4 out of 5",
            trigger: "label[for='crm_order_rating_4']",
            run: "click",
        },
        {
            content: "Say why",
            trigger: "textarea[name='comment']",
            run: "edit Delivered on time",
        },
        {
            content: "Send the rating",
            trigger: "button.o_crm_order_rate",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The rating is shown",
            trigger: ".o_crm_order_rated",
        },
        {
            content: "with its value",
            trigger: ".o_crm_order_rating_value:contains('4')",
        },
    ],
});
