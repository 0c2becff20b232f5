# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Clear errors for values of the wrong type, as XML-RPC clients may send them."""

from odoo import fields
from odoo.exceptions import ValidationError

# How the ORM converts the values of these field types; what it cannot convert is
# refused by check_value_types().
CONVERSIONS = {
    "float": float,
    "monetary": float,
    "integer": int,
    "date": fields.Date.to_date,
    "datetime": fields.Datetime.to_datetime,
}


def check_value_types(records, vals_list):
    """Refuse, naming the field, a value of the wrong type for a relational, numeric
    or date field (an XML-RPC client sending ``"abc"`` as a quantity or ``"x"`` as a
    customer), instead of a database error or a traceback without the field's name.
    Values the ORM accepts (ids, records, numbers, numeric strings, dates) pass."""
    expectations = {
        "many2one": records.env._("a record id"),
        "float": records.env._("a number"),
        "monetary": records.env._("a number"),
        "integer": records.env._("a number"),
        "date": records.env._("a date (YYYY-MM-DD)"),
        "datetime": records.env._("a date and time (YYYY-MM-DD HH:MM:SS)"),
    }
    for vals in vals_list:
        for name, value in vals.items():
            field = records._fields.get(name)
            if field is None or value is False or value is None:
                continue
            if field.type == "many2one":
                wrong = value is True or isinstance(value, str | float | list)
            elif field.type in CONVERSIONS:
                try:
                    CONVERSIONS[field.type](value)
                    wrong = False
                except (TypeError, ValueError):
                    wrong = True
            else:
                continue
            if wrong:
                raise ValidationError(
                    records.env._(
                        "Wrong value for %(field)s (%(name)s) of %(model)s: %(value)r "
                        "is not %(expected)s.",
                        field=field.string,
                        name=name,
                        model=records._description,
                        value=value,
                        expected=expectations[field.type],
                    )
                )
