# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Helpers shared by the addon's models: a field class, the checks every model
runs on the values clients send, and covering indexes."""

from .fields import NullableFloat
from .sql import covering_index
from .validation import (
    DATE_MAX,
    DATE_MIN,
    IMPORT_CONTEXT_KEY,
    SERVER_VALUES_KEY,
    check_client_values,
    client_default_get,
    check_value_types,
    history_import,
    history_import_user_id,
    server_owned_fields,
    with_server_values,
)
