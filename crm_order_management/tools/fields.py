# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields


class NullableFloat(fields.Float):
    """A float that keeps SQL NULL: an undefined figure reads as False, never 0.0,
    and the averages of pivot and graph views leave it out."""

    def convert_to_column(self, value, record, values=None, validate=True):
        if value is None or value is False:
            return None
        return super().convert_to_column(value, record, values, validate)

    def convert_to_cache(self, value, record, validate=True):
        if value is None or value is False:
            return None
        return super().convert_to_cache(value, record, validate)

    def convert_to_record(self, value, record):
        return False if value is None else value

    def convert_to_export(self, value, record):
        return "" if value is None or value is False else value
