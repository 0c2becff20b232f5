import { getCurrency } from "@web/core/currency";
import { registry } from "@web/core/registry";
import { KanbanHeader } from "@web/views/kanban/kanban_header";
import { KanbanRenderer } from "@web/views/kanban/kanban_renderer";
import { kanbanView } from "@web/views/kanban/kanban_view";

/**
 * The orders' kanban: a column's sum of a monetary field (the progress bar's
 * sum_field) shows its currency, when the column's orders share one; a column
 * that mixes currencies keeps a bare number.
 */
export class CrmOrderKanbanHeader extends KanbanHeader {
    get groupAggregate() {
        const aggregate = super.groupAggregate;
        const { sumField } = this.props.progressBarState.progressAttributes;
        const currencyField = sumField && sumField.currency_field;
        if (!currencyField || !this.group.list) {
            return aggregate;
        }
        const currencyIds = new Set(
            this.group.list.records.map((record) => {
                const value = record.data[currencyField];
                return Array.isArray(value) ? value[0] : value && value.id;
            })
        );
        if (currencyIds.size !== 1) {
            return aggregate;
        }
        const [currencyId] = currencyIds;
        const currency = currencyId && getCurrency(currencyId);
        return currency ? { ...aggregate, currency } : aggregate;
    }
}

export class CrmOrderKanbanRenderer extends KanbanRenderer {
    static components = { ...KanbanRenderer.components, KanbanHeader: CrmOrderKanbanHeader };
}

registry.category("views").add("crm_order_kanban", {
    ...kanbanView,
    Renderer: CrmOrderKanbanRenderer,
});
