# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The checks every model of the addon runs on the values clients send (the web
client, imports, XML-RPC, other modules, with or without ``sudo()``):

- values of the wrong type, NaN, infinite numbers and dates out of range are
  refused with the field's name (``check_value_types``);
- fields the server derives are refused with their names (``check_client_values``),
  except in the one history import mode (``history_import``).
"""

import math
from datetime import date, datetime

from odoo import SUPERUSER_ID, fields
from odoo.exceptions import UserError, ValidationError

# The context key of the history import mode: the demo data and migrations of
# historical orders load past orders with it. Honoured for the superuser (user id 1)
# only: no XML-RPC user is the superuser, and a client's context that reaches code
# running with sudo() is still its own user's; its value is the id of the user who
# made the imported status changes, or True for the current user.
IMPORT_CONTEXT_KEY = "crm_order_import"

# Dates a client may give: a year 0001 or 9999 is a typing error, and the periods
# computed from such dates would leave Python's date range.
DATE_MIN = date(1900, 1, 1)
DATE_MAX = date(2999, 12, 31)
# Numbers a client may give: amounts and quantities far beyond any order (their
# products would overflow), integers beyond PostgreSQL's int4 columns.
FLOAT_MAX = 1e15
INTEGER_MIN, INTEGER_MAX = -(2**31), 2**31 - 1

# How the ORM converts the values of these field types; what it cannot convert is
# refused by check_value_types().
CONVERSIONS = {
    "float": float,
    "monetary": float,
    "integer": int,
    "date": fields.Date.to_date,
    "datetime": fields.Datetime.to_datetime,
}


# Lets the addon's own code give fields the server owns (a generated order names the
# recurring order it comes from). Its value is an object, not representable over
# XML-RPC or JSON-RPC: no client can put it in a context.
SERVER_VALUES_KEY = "crm_order_server_values"
_SERVER_VALUES = object()


def with_server_values(records):
    """``records`` with the right to give the fields the server owns; for the
    addon's own code only."""
    return records.with_context(**{SERVER_VALUES_KEY: _SERVER_VALUES})


def server_values_allowed(env):
    return env.context.get(SERVER_VALUES_KEY) is _SERVER_VALUES


def history_import(env):
    """Whether ``env`` is in the history import mode: the superuser itself (user
    id 1, as data files, migrations and ``odoo-bin shell`` scripts run; not any
    ``sudo()``, which a client's request may reach with its own context) with the
    import context key. The only mode in which the workflow rules (transitions,
    cancel reasons, server dates, authors of tracking events) are not applied."""
    return bool(
        env.su and env.uid == SUPERUSER_ID and env.context.get(IMPORT_CONTEXT_KEY)
    )


def history_import_user_id(env):
    """The user named by the history import mode, else the current user."""
    value = env.context.get(IMPORT_CONTEXT_KEY) if history_import(env) else None
    return value if isinstance(value, int) and not isinstance(value, bool) else env.uid


def _wrong(value, field):
    """Why ``value`` does not fit ``field``: "type" (not convertible, or a boolean
    for a number), "range" (NaN, infinite or huge numbers, a date out of range), or
    None when it fits."""
    if field.type == "many2one":
        return (
            "type" if value is True or isinstance(value, str | float | list) else None
        )
    if field.type not in CONVERSIONS:
        return None
    if isinstance(value, bool) and field.type in ("float", "monetary", "integer"):
        return "type"
    try:
        converted = CONVERSIONS[field.type](value)
    except (TypeError, ValueError, OverflowError):
        return "type"
    if isinstance(converted, float):
        fits = math.isfinite(converted) and abs(converted) <= FLOAT_MAX
        return None if fits else "range"
    if field.type == "integer":
        return None if INTEGER_MIN <= converted <= INTEGER_MAX else "range"
    if isinstance(converted, datetime):
        converted = converted.date()
    if isinstance(converted, date) and not DATE_MIN <= converted <= DATE_MAX:
        return "range"
    return None


def check_value_types(records, vals_list):
    """Refuse, naming the field, a value of the wrong type for a relational, numeric
    or date field (an XML-RPC client sending ``"abc"`` as a quantity or ``"x"`` as a
    customer), NaN or an infinite number, or a date outside DATE_MIN..DATE_MAX,
    instead of a database error or a traceback without the field's name. Values the
    ORM accepts (ids, records, numbers, numeric strings, dates) pass."""
    fields_of = records._fields
    for vals in vals_list:
        for name, value in vals.items():
            field = fields_of.get(name)
            if field is None or value is False or value is None:
                continue
            wrong = _wrong(value, field)
            if wrong:
                _raise_wrong_value(records, field, value, wrong)


def _raise_wrong_value(records, field, value, wrong):
    """The error of check_value_types: its messages are translated only when a
    value is refused (every create and write of the addon's models checks)."""
    env = records.env
    if wrong == "type":
        expected = {
            "many2one": env._("a record id"),
            "float": env._("a number"),
            "monetary": env._("a number"),
            "integer": env._("a number"),
            "date": env._("a date (YYYY-MM-DD)"),
            "datetime": env._("a date and time (YYYY-MM-DD HH:MM:SS)"),
        }[field.type]
    elif field.type in ("float", "monetary"):
        expected = env._("a number from -%(max)s to %(max)s", max=f"{FLOAT_MAX:,.0f}")
    elif field.type == "integer":
        expected = env._(
            "a whole number from %(min)s to %(max)s", min=INTEGER_MIN, max=INTEGER_MAX
        )
    else:
        expected = env._("a date from %(min)s to %(max)s", min=DATE_MIN, max=DATE_MAX)
    raise ValidationError(
        env._(
            "Wrong value for %(field)s (%(name)s) of %(model)s: %(value)r "
            "is not %(expected)s.",
            field=field.string,
            name=field.name,
            model=records._description,
            value=value,
            expected=expected,
        )
    )


def server_owned_fields(model):
    """The fields of ``model`` that the server sets and clients never write: stored
    read-only computed and related fields (amounts, categories, companies and
    currencies taken from the order, customer profiles), plus the model's own list
    ``_crm_server_fields`` (numbers, server dates, authors, bookkeeping), of every
    class of the model: a glue addon lists only the fields it adds."""
    # every addon's class of the model adds its own (the addon's, its glue addons')
    names = {
        name
        for cls in type(model).mro()
        for name in vars(cls).get("_crm_server_fields", ())
    }
    for name, field in model._fields.items():
        if field.store and field.readonly and (field.compute or field.related):
            names.add(name)
    return names


def client_default_get(records, fields_list, default_get, fnames=None):
    """``default_get`` without client-given defaults (``default_<field>`` context
    keys, ``ir.default`` records) for the fields the server owns and for the
    model's ``_crm_server_defaults``: those get their field's own default, if any.
    ``default_get`` is the method it overrides (``super().default_get``); ``fnames``
    limits it to some fields (the addon's own fields on a model of another
    module)."""
    if history_import(records.env) or server_values_allowed(records.env):
        return default_get(fields_list)
    owned = server_owned_fields(records) | set(
        getattr(records, "_crm_server_defaults", ())
    )
    if fnames is not None:
        owned &= set(fnames)
    result = default_get([name for name in fields_list if name not in owned])
    for name in fields_list:
        field = records._fields.get(name)
        if name in owned and field is not None and field.default:
            result[name] = field.convert_to_write(field.default(records), records)
    return result


def check_client_values(records, vals_list, fnames=None):
    """Refuse values for fields the server owns, naming them, then check the types
    of the values (``check_value_types``). ``fnames`` limits the check to some
    fields (the addon's own fields on a model of another module). The history
    import mode may give the server's fields."""
    if not (history_import(records.env) or server_values_allowed(records.env)):
        owned = server_owned_fields(records)
        if fnames is not None:
            owned &= set(fnames)
        given = sorted({name for vals in vals_list for name in vals if name in owned})
        if given:
            raise UserError(
                records.env._(
                    "These fields of %(model)s are set by the server and cannot be "
                    "written: %(fields)s.",
                    model=records._description,
                    fields=", ".join(
                        f"{records._fields[name].string} ({name})" for name in given
                    ),
                )
            )
    check_value_types(records, vals_list)
