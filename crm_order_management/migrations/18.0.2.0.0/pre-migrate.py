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
- An order's rating is its last consumed rating.rating (rating.mixin): the
  ratings that 18.0.1.0.0 kept on the order only (given in the form or over
  XML-RPC) become rating.rating records, dated when they were given; a rating
  record that already holds the order's rating gets that date too.

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
    _move_order_ratings(cr)


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


def _move_order_ratings(cr):
    cr.execute("SELECT id FROM ir_model WHERE model = 'crm.order'")
    (model_id,) = cr.fetchone()
    # a consumed rating record holding the order's rating: dated as the order says
    cr.execute(
        """
        UPDATE rating_rating r
           SET write_date = o.rating_date
          FROM crm_order o
         WHERE r.res_model = 'crm.order' AND r.res_id = o.id AND r.consumed
           AND o.rating > 0 AND o.rating_date IS NOT NULL
           AND r.rating = o.rating
           AND COALESCE(r.feedback, '') = COALESCE(o.rating_comment, '')
        """
    )
    cr.execute(
        """
        INSERT INTO rating_rating (
            res_model_id, res_model, res_id, res_name, partner_id, rated_partner_id,
            rating, rating_text, feedback, consumed, access_token, is_internal,
            create_uid, create_date, write_uid, write_date)
        SELECT %(model_id)s, 'crm.order', o.id, o.name, o.partner_id, u.partner_id,
               o.rating,
               CASE WHEN o.rating >= 4 THEN 'top'
                    WHEN o.rating >= 3 THEN 'ok'
                    ELSE 'ko' END,
               o.rating_comment, TRUE, md5(random()::text || o.id::text), FALSE,
               1, COALESCE(o.rating_date, o.write_date),
               1, COALESCE(o.rating_date, o.write_date)
          FROM crm_order o
     LEFT JOIN res_users u ON u.id = o.user_id
         WHERE o.rating > 0
           AND NOT EXISTS (
                SELECT 1 FROM rating_rating r
                 WHERE r.res_model = 'crm.order' AND r.res_id = o.id AND r.consumed
                   AND r.rating = o.rating
                   AND COALESCE(r.feedback, '') = COALESCE(o.rating_comment, '')
           )
     RETURNING res_id
        """,
        {"model_id": model_id},
    )
    moved = cr.rowcount
    if moved:
        _logger.info("Order ratings are rating.rating records: %s ratings moved", moved)
