# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""18.0.2.0.0, before the models load: prepare the data of 18.0.1.0.0 databases
for the new constraints and columns, so that Odoo applies them without a warning.

- Order numbers become unique per company (constraint name_company_uniq): a
  duplicate number keeps its first order (lowest id); the others get "-<id>"
  appended.
- Status history rows say how the change was made (change_type, required): the
  rows of earlier versions were made by users.
- Transitions say who may make them: users (manual) or the system (automatic);
  the transitions of earlier versions are made by users only.

Each step is idempotent: a database already holding the new columns (a development
snapshot of 18.0.2.0.0 still numbered 18.0.1.0.0) is left as it is.
"""

import logging

_logger = logging.getLogger("odoo.addons.crm_order_management.migrations")


def migrate(cr, version):
    if not version:
        return
    _rename_duplicate_numbers(cr)
    _fill_history_change_type(cr)
    _fill_transition_kinds(cr)


def _rename_duplicate_numbers(cr):
    cr.execute(
        """
        UPDATE crm_order o
           SET name = o.name || '-' || o.id
          FROM (
                SELECT id,
                       row_number() OVER (
                           PARTITION BY company_id, name ORDER BY id
                       ) AS position
                  FROM crm_order
               ) numbered
         WHERE numbered.id = o.id
           AND numbered.position > 1
     RETURNING o.name
        """
    )
    renamed = [name for (name,) in cr.fetchall()]
    if renamed:
        _logger.info(
            "Order numbers are unique per company: %s duplicate numbers renamed (%s)",
            len(renamed),
            ", ".join(sorted(renamed)),
        )


def _fill_history_change_type(cr):
    cr.execute(
        "ALTER TABLE crm_order_status_history "
        "ADD COLUMN IF NOT EXISTS change_type varchar"
    )
    cr.execute(
        "UPDATE crm_order_status_history SET change_type = 'user' "
        "WHERE change_type IS NULL"
    )


def _fill_transition_kinds(cr):
    cr.execute(
        "ALTER TABLE crm_order_transition "
        "ADD COLUMN IF NOT EXISTS manual boolean, "
        "ADD COLUMN IF NOT EXISTS automatic boolean"
    )
    cr.execute("UPDATE crm_order_transition SET manual = TRUE WHERE manual IS NULL")
    cr.execute(
        "UPDATE crm_order_transition SET automatic = FALSE WHERE automatic IS NULL"
    )
