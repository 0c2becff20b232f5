"""Check an Odoo log as OCA's checklog-odoo does: no WARNING, ERROR or CRITICAL."""

import re

# "2026-11-25 16:00:00,123 4242 WARNING db odoo.some.logger: message"
LEVEL_RE = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (WARNING|ERROR|CRITICAL) "
)

# Lines that Odoo core writes on every run of this kind, unrelated to the module. Each
# entry says why it is harmless; keep this list short.
IGNORED = [
    # `odoo-bin shell` warns that it has no interactive console when fed from stdin.
    re.compile(r"odoo\.cli\.shell: "),
]


def bad_lines(text):
    """The WARNING/ERROR/CRITICAL lines of an Odoo log text, less the ignored ones."""
    return [
        line
        for line in text.splitlines()
        if LEVEL_RE.match(line) and not any(p.search(line) for p in IGNORED)
    ]
