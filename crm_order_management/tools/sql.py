# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tools import SQL
from odoo.tools.sql import drop_index, index_exists


def covering_index(model, field_name, name, include):
    """Index ``field_name`` of ``model``'s table under ``name``, carrying the
    columns ``include`` (``INCLUDE``) so that a query reading only those is served
    by the index alone. Replaces the plain index of ``index=True``, which the field
    had before and databases installed then still have."""
    cr, table = model.env.cr, model._table
    drop_index(cr, f"{table}__{field_name}_index", table)
    if not index_exists(cr, name):
        cr.execute(
            SQL(
                "CREATE INDEX %s ON %s (%s) INCLUDE (%s)",
                SQL.identifier(name),
                SQL.identifier(table),
                SQL.identifier(field_name),
                SQL(", ").join(SQL.identifier(column) for column in include),
            )
        )
