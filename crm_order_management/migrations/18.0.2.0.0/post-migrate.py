# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""18.0.2.0.0, once the models are loaded: the recurrence settings of the orders
move from six columns of crm_order into crm.order.recurrence, one row per order
whose settings differ from the defaults (every 1 month, never ends, no next
date), in one statement; then the columns are dropped. The order shows the same
values through its recurrence_* fields.

Recurrences out of the bounds that 18.0.2.0.0 checks (every 1 to 100 units, at
most 1000 orders, dates from 1900 to 2999) are kept as they were and listed in a
warning: the next change of such an order asks for a value within the bounds.
"""

import logging

_logger = logging.getLogger("odoo.addons.crm_order_management.migrations")

OLD_COLUMNS = (
    "recurrence_interval",
    "recurrence_unit",
    "recurrence_next_date",
    "recurrence_end_type",
    "recurrence_end_date",
    "recurrence_count",
)


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        SELECT count(*)
          FROM information_schema.columns
         WHERE table_name = 'crm_order' AND column_name IN %s
        """,
        [OLD_COLUMNS],
    )
    if cr.fetchone()[0] != len(OLD_COLUMNS):
        return
    _move_recurrences(cr)
    _warn_out_of_bounds(cr)
    cr.execute(
        """
        ALTER TABLE crm_order
              DROP COLUMN recurrence_interval,
              DROP COLUMN recurrence_unit,
              DROP COLUMN recurrence_next_date,
              DROP COLUMN recurrence_end_type,
              DROP COLUMN recurrence_end_date,
              DROP COLUMN recurrence_count
        """
    )


def _move_recurrences(cr):
    cr.execute(
        """
        INSERT INTO crm_order_recurrence (
               order_id, company_id, repeat_interval, repeat_unit, next_date,
               end_type, end_date, end_count,
               create_uid, create_date, write_uid, write_date)
        SELECT id, company_id, COALESCE(recurrence_interval, 1),
               COALESCE(recurrence_unit, 'month'), recurrence_next_date,
               COALESCE(recurrence_end_type, 'never'), recurrence_end_date,
               COALESCE(recurrence_count, 0),
               create_uid, create_date, write_uid, write_date
          FROM crm_order
         WHERE recurrence_next_date IS NOT NULL
            OR COALESCE(recurrence_interval, 1) != 1
            OR COALESCE(recurrence_unit, 'month') != 'month'
            OR COALESCE(recurrence_end_type, 'never') != 'never'
            OR recurrence_end_date IS NOT NULL
            OR COALESCE(recurrence_count, 0) != 0
      ORDER BY id
        """
    )
    _logger.info("Recurring orders: %s recurrences moved", cr.rowcount)


def _warn_out_of_bounds(cr):
    cr.execute(
        """
        SELECT o.name
          FROM crm_order_recurrence recurrence
          JOIN crm_order o ON o.id = recurrence.order_id
         WHERE recurrence.repeat_interval NOT BETWEEN 1 AND 100
            OR recurrence.end_count > 1000
            OR recurrence.next_date NOT BETWEEN '1900-01-01' AND '2999-12-31'
            OR recurrence.end_date NOT BETWEEN '1900-01-01' AND '2999-12-31'
      ORDER BY o.id
        """
    )
    names = [name for (name,) in cr.fetchall()]
    if names:
        _logger.warning(
            "Recurring orders out of the bounds of a recurrence (every 1 to 100 "
            "units, at most 1000 orders, dates from 1900 to 2999), kept as they "
            "were: %s",
            ", ".join(names),
        )
