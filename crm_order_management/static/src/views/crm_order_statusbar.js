import { useEffect } from "@odoo/owl";
import { browser } from "@web/core/browser/browser";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import {
    StatusBarField,
    statusBarField,
} from "@web/views/fields/statusbar/statusbar_field";

/**
 * The order's status bar: the statuses of the workflow (the domain of the field,
 * status_path_ids), of which only those the user may move the order to
 * (allowed_status_ids) are clickable. Cancelled statuses are on the path only
 * when the order is in one (the Cancel Order button cancels); a click on a cancel
 * status, whenever one is shown and allowed, opens the cancellation dialog
 * (action_cancel), which asks for the reason, instead of writing the status. The
 * server checks every change anyway.
 */
export class CrmOrderStatusBarField extends StatusBarField {
    static template = "crm_order_management.StatusBarField";

    setup() {
        super.setup();
        this.action = useService("action");
        this.orm = useService("orm");
        // The status bar computes its items when it renders, except while it fits
        // them to its width (until the next frame): statuses loaded in that window
        // were not shown, and a cancelled order's bar kept the path it had before
        // (without Cancelled). Render once more on the frame after new statuses.
        useEffect(
            () => {
                browser.requestAnimationFrame(() => this.render());
            },
            () => [this.specialData.data]
        );
    }

    isLocked(item) {
        if (item.isSelected) {
            return false;
        }
        const allowed = this.props.record.data.allowed_status_ids;
        return !(allowed && allowed.currentIds.includes(item.value));
    }

    getDropdownItemClassNames(item) {
        const classNames = super.getDropdownItemClassNames(item);
        return this.isLocked(item) ? `${classNames} disabled` : classNames;
    }

    async selectItem(item) {
        const { record } = this.props;
        if (item.isSelected || this.isLocked(item)) {
            return;
        }
        const cancelStatus = record.data.cancel_status_id;
        if (cancelStatus && item.value === cancelStatus[0]) {
            if (!(await record.save())) {
                return;
            }
            const action = await this.orm.call(
                record.resModel,
                "action_cancel",
                [[record.resId]],
                { context: record.context }
            );
            await this.action.doAction(action, {
                onClose: () => record.load(),
            });
            return;
        }
        return super.selectItem(item);
    }
}

registry.category("fields").add("crm_order_statusbar", {
    ...statusBarField,
    component: CrmOrderStatusBarField,
    // the status bar's styles apply to the .o_field_statusbar wrapper
    additionalClasses: ["o_field_statusbar"],
});
