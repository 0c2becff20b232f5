/** @odoo-module **/
// Tours run by tests/test_ui.py. The customer, the product and the service they use
// are created by the test; their names are distinctive so that demo data never
// matches them.

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

const CUSTOMER = "Marlowe Tour Bakery";
const PRODUCT = "Tour Walnut Bookcase";
const SERVICE = "Tour Assembly Service";

function openOrderMenu(menuXmlid) {
    return [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the CRM app",
            trigger: ".o_app[data-menu-xmlid='crm.crm_menu_root']",
            run: "click",
        },
        {
            content: "Open the Orders menu",
            trigger: ".o_menu_sections button[data-menu-xmlid='crm_order_management.crm_order_menu_root']",
            run: "click",
        },
        {
            content: `Choose ${menuXmlid}`,
            trigger: `.o-dropdown--menu a[data-menu-xmlid='crm_order_management.${menuXmlid}']`,
            run: "click",
        },
    ];
}

function addLine(row, product, price, quantity) {
    // The new row, once it is the one being edited: the previous row may still be
    // selected while its changes are saved
    const newRow = `div[name=line_ids] .o_data_row:nth-child(${row}).o_selected_row`;
    const steps = [
        {
            content: `Add a line for ${product}`,
            trigger: "div[name=line_ids] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            content: `Type ${product}`,
            trigger: `${newRow} .o_field_widget[name=product_id] input`,
            run: `edit ${product}`,
        },
        {
            content: `Pick ${product}`,
            trigger: `.o-autocomplete--dropdown-menu .o-autocomplete--dropdown-item a:contains(${product})`,
            run: "click",
        },
        {
            // the description, filled too, is an optional column hidden by default
            content: "The product fills the unit price",
            trigger: `${newRow} .o_field_widget[name=price_unit] input:value(${price})`,
        },
    ];
    if (quantity) {
        steps.push({
            content: `Order ${quantity}`,
            trigger: `${newRow} .o_field_widget[name=quantity] input`,
            run: `edit ${quantity}`,
        });
    }
    return steps;
}

function moveOn(status) {
    return [
        {
            content: `The main button moves the order to ${status}`,
            trigger:
                ".o_form_view .o_statusbar_buttons " +
                `button[name=action_next_status]:contains(Move to):contains(${status})`,
            run: "click",
        },
        {
            content: `The order is ${status}`,
            trigger: `.o_statusbar_status button[aria-checked=true]:contains(${status})`,
        },
        {
            content: "The form is saved",
            trigger: ".o_form_view .o_form_saved",
        },
    ];
}

registry.category("web_tour.tours").add("crm_order_management_order_tour", {
    url: "/odoo",
    steps: () => [
        ...openOrderMenu("crm_order_menu"),
        {
            content: "The orders list is shown",
            trigger: ".o_list_view .o_breadcrumb:contains(Orders)",
        },
        {
            content: "Create an order",
            trigger: ".o_control_panel_main_buttons .o_list_button_add",
            run: "click",
        },
        {
            content: "A new order starts as draft",
            trigger: ".o_form_view .o_statusbar_status button[aria-checked=true]:contains(Draft)",
        },
        {
            content: "Type the customer",
            trigger: ".o_field_widget[name=partner_id] input",
            run: `edit ${CUSTOMER}`,
        },
        {
            content: "Pick the customer",
            trigger: `.o-autocomplete--dropdown-menu .o-autocomplete--dropdown-item a:contains(${CUSTOMER})`,
            run: "click",
        },
        {
            content: "The customer fills the order type",
            trigger: ".o_field_widget[name=order_type_id] input:value(New Customer)",
        },
        ...addLine(1, PRODUCT, "120.00", 2),
        ...addLine(2, SERVICE, "45.00"),
        {
            content: "The total is computed: 2 × 120 + 45",
            trigger: ".o_field_widget[name=amount_total]:contains(285.00)",
        },
        ...stepUtils.saveForm(),
        {
            content: "The order got its number",
            trigger: ".o_form_view .oe_title [name=name]:contains(NEW/)",
        },
        ...moveOn("Awaiting Payment"),
        ...moveOn("Awaiting Shipment"),
        ...moveOn("Awaiting Receipt"),
        ...moveOn("Completed"),
        {
            content: "A completed order is marked Done and cannot move on",
            trigger:
                ".o_form_view:has(.ribbon:contains(Done)):not(:has(button[name=action_next_status]))",
        },
        // Follow-up: log a tracking event
        {
            content: "Open the Follow-up page",
            trigger: ".o_notebook_headers a[name=follow_up]",
            run: "click",
        },
        {
            content: "Log a tracking event",
            trigger: "div[name=tracking_ids] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            content: "It is a delivery check",
            trigger: "div[name=tracking_ids] .o_selected_row .o_field_widget[name=kind] select",
            run: "selectByLabel Delivery Check",
        },
        {
            content: "Summarise it",
            trigger: "div[name=tracking_ids] .o_selected_row .o_field_widget[name=summary] textarea",
            run: "edit Bookcase delivered and assembled",
        },
        ...stepUtils.saveForm(),
        {
            content: "The event is listed",
            trigger: "div[name=tracking_ids] .o_data_row:contains(Bookcase delivered and assembled)",
        },
        {
            content: "The follow-up counter shows it",
            trigger: ".o-form-buttonbox .oe_stat_button:has(.o_stat_text:contains(Follow-ups)):has(.o_stat_value:contains(/^1$/))",
        },
        // Evaluation: rate the completed order
        {
            content: "Open the Evaluation page",
            trigger: ".o_notebook_headers a[name=evaluation]",
            run: "click",
        },
        {
            content: "Rate the order",
            trigger: ".o_field_widget[name=rating] input",
            run: "edit 5",
        },
        {
            content: "Note what the customer said",
            trigger: ".o_field_widget[name=rating_comment] textarea",
            run: "edit Quick delivery, careful assembly",
        },
        ...stepUtils.saveForm(),
        {
            content: "The rating is dated",
            trigger: ".o_form_saved .o_field_widget[name=rating_date]",
        },
        // Kanban: the order is in the Completed column, folded by default. The search
        // is made in the list, so that the kanban loads once, with the search applied.
        {
            content: "Back to the orders",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains(Orders)",
            run: "click",
        },
        {
            content: "Search the customer's orders",
            trigger: ".o_list_view .o_searchview_input",
            run: `edit ${CUSTOMER}`,
        },
        {
            content: "Search orders for the customer",
            trigger: ".o_searchview_autocomplete .o_menu_item:contains(Search Order for)",
            run: "click",
        },
        {
            content: "The list shows the customer's order only",
            trigger:
                `.o_list_view:has(.o_searchview_facet:contains(${CUSTOMER})) ` +
                `.o_list_table:has(.o_data_row:contains(${CUSTOMER}))` +
                `:not(:has(.o_data_row:not(:contains(${CUSTOMER}))))`,
        },
        {
            content: "Switch to the kanban",
            trigger: ".o_control_panel .o_switch_view.o_kanban",
            run: "click",
        },
        {
            content: "The kanban is shown",
            trigger: ".o_kanban_view .o_control_panel .o_switch_view.o_kanban.active",
        },
        {
            content: "The Completed column is folded and counts the order",
            trigger: ".o_kanban_group.o_column_folded .o_column_title:contains(Completed):contains((1))",
            run: "click",
        },
        {
            content: "The unfolded Completed column shows the rated order",
            trigger:
                ".o_kanban_group:not(.o_column_folded):has(.o_column_title:contains(Completed)) " +
                `.o_kanban_record:contains(${CUSTOMER}):has(.fa-star):contains(285.00)`,
        },
        {
            content: "The column sums its orders' totals in their currency",
            trigger:
                ".o_kanban_group:not(.o_column_folded):has(.o_column_title:contains(Completed)) " +
                ".o_animated_number:contains($):contains(285)",
        },
        {
            content: "No other column holds it",
            trigger: `.o_kanban_renderer:not(:has(.o_kanban_group:not(:has(.o_column_title:contains(Completed))) .o_kanban_record:contains(${CUSTOMER})))`,
        },
    ],
});

registry.category("web_tour.tours").add("crm_order_management_metrics_tour", {
    url: "/odoo",
    steps: () => [
        ...openOrderMenu("crm_order_kpi_menu"),
        {
            content: "The order metrics open on their graph",
            trigger: ".o_graph_view .o_control_panel .o_breadcrumb:contains(Order Metrics)",
        },
        {
            content: "The graph shows the monthly snapshots",
            trigger: ".o_graph_view:not(:has(.o_view_nocontent)) .o_graph_renderer canvas",
        },
        {
            content: "The default filters are the monthly, all types snapshots",
            trigger: ".o_searchview .o_facet_value:contains(Month)",
        },
        {
            content: "Switch to the list of snapshots",
            trigger: ".o_control_panel .o_switch_view.o_list",
            run: "click",
        },
        {
            content: "The snapshots are listed with their inputs",
            trigger: ".o_list_view .o_data_row td[name=customer_count]",
        },
    ],
});

registry.category("web_tour.tours").add("crm_order_management_recompute_tour", {
    url: "/odoo",
    steps: () => [
        ...openOrderMenu("crm_order_kpi_recompute_menu"),
        {
            content: "Recompute from February 1st, 2024",
            trigger: ".modal .o_field_widget[name=date_from] input",
            run: "edit 02/01/2024",
        },
        {
            content: "to April 30th, 2024",
            trigger: ".modal .o_field_widget[name=date_to] input",
            run: "edit 04/30/2024",
        },
        {
            content: "without weeks: 90 days and 3 months",
            trigger: ".modal .o_field_widget[name=granularity_week] input",
            run: "click",
        },
        {
            content: "The dates are set",
            trigger:
                ".modal .o_field_widget[name=date_from] input:value(02/01/2024)",
        },
        {
            content: "Recompute",
            trigger: ".modal button[name=action_recompute]",
            run: "click",
        },
        {
            content: "The notification says the range is queued",
            trigger: ".o_notification:contains(Recomputation of 93 periods queued)",
        },
        {
            content: "The metrics of the range open",
            trigger: ".o_control_panel .o_breadcrumb:contains(Order Metrics)",
        },
        ...openOrderMenu("crm_order_kpi_job_menu"),
        {
            content: "The queued job is listed with its periods",
            trigger:
                ".o_list_view .o_data_row:contains(Queued):contains(day,month) " +
                "td[name=period_count]:contains(93)",
        },
    ],
});

// The order's status bar: the workflow's path, only the allowed statuses
// clickable, Cancelled out of the path (the Cancel Order button opens the dialog
// that asks for the reason) until the order is cancelled.
registry.category("web_tour.tours").add("crm_order_management_status_path_tour", {
    steps: () => [
        {
            content: "The status bar shows the workflow's path up to Completed",
            trigger:
                ".o_field_statusbar .o_statusbar_status" +
                ":has(button:contains(Draft)[aria-checked=true])" +
                ":has(button:contains(Awaiting Receipt)):has(button:contains(Completed))",
        },
        {
            content: "Cancelled is not a step of a draft order's path",
            trigger:
                ".o_field_statusbar:has(.o_statusbar_status button:contains(Completed))" +
                ":not(:has(.o_statusbar_status :contains(Cancelled)))",
        },
        {
            content: "A status further on the path is shown, not clickable",
            trigger: ".o_statusbar_status button:contains(Awaiting Shipment):disabled",
        },
        {
            content: "The next status is clickable",
            trigger: ".o_statusbar_status button:contains(Awaiting Payment):enabled",
        },
        {
            content: "The main button names its target",
            trigger:
                ".o_statusbar_buttons button[name=action_next_status]" +
                ":contains(Move to):contains(Awaiting Payment)",
        },
        {
            content: "Cancel with the Cancel Order button",
            trigger: ".o_statusbar_buttons button[name=action_cancel]",
            run: "click",
        },
        {
            content: "The cancellation dialog asks for the reason",
            trigger: ".modal .o_field_widget[name=cancel_reason_id] input",
            run: "edit Price too",
        },
        {
            content: "Pick the reason",
            trigger: ".o-autocomplete--dropdown-item a:contains(Price too high)",
            run: "click",
        },
        {
            content: "Confirm the cancellation",
            trigger: ".modal button[name=action_confirm]",
            run: "click",
        },
        {
            content: "The order is cancelled: its bar shows Cancelled beside the path",
            trigger:
                ".o_form_view:not(:has(.modal)) .o_statusbar_status" +
                ":has(button[aria-checked=true]:contains(Cancelled))" +
                ":has(button:contains(Completed))",
        },
        {
            content: "with its reason",
            trigger: ".o_form_view .o_field_widget[name=cancel_reason_id] input:value(Price too high)",
        },
    ],
});

// Point 3 of the first-run review: the activity a status's automation plans ends
// with the status. On an order awaiting shipment, "Prepare the shipment" is planned;
// moving the order on removes it from the form's chatter.
registry.category("web_tour.tours").add("crm_order_management_status_activity_tour", {
    steps: () => [
        {
            content: "The status's activity is planned",
            trigger: ".o-mail-Chatter .o-mail-Activity:contains(Prepare the shipment)",
        },
        {
            content: "Move the order on",
            trigger:
                ".o_statusbar_buttons button[name=action_next_status]" +
                ":contains(Awaiting Receipt)",
            run: "click",
        },
        {
            content: "The order awaits receipt",
            trigger: ".o_statusbar_status button[aria-checked=true]:contains(Awaiting Receipt)",
        },
        {
            content: "The activity ended with its status",
            trigger:
                ".o-mail-Chatter:not(:has(.o-mail-Activity:contains(Prepare the shipment)))",
        },
    ],
});
