"""The two comment lines a template writes at the top of its code: which template, which values.

    # Chalk template: pendulum
    # Parameters: {"length": 2.0, "amplitude_deg": 30.0}

They let code that left Chalk (downloaded, pasted back, sent to `chalk refine --code FILE`) be
changed offline again: `app.generators.offline.origin(code)` reads them back and says whether
the code is still exactly what the template makes from those values, or was edited since (then
an offline change would throw the edits away, so callers refuse). The header is read as
untrusted text: bounded, parsed as JSON only, and the values go through the template's own
validate().
"""

from __future__ import annotations

import json
import re

TEMPLATE_LINE = "# Chalk template: "
PARAMS_LINE = "# Parameters: "
MORE = "# "  # the lines of values too long for one line
LINE_WIDTH = 100
MAX_HEADER_CHARS = 6000
_TEMPLATE = re.compile(rf"{re.escape(TEMPLATE_LINE)}([a-z0-9_]{{1,64}})")


def header(template_id: str, params: dict) -> str:
    """The header lines: the values as JSON, on one line when they fit, else a line per value
    (and a value too long for its line spread over several)."""
    compact = _json(params)
    if len(PARAMS_LINE) + len(compact) <= LINE_WIDTH:
        return f"{TEMPLATE_LINE}{template_id}\n{PARAMS_LINE}{compact}\n"
    entries = []
    for name, value in params.items():
        entry = f"  {_json(name)}: {_json(value)}"
        if len(MORE) + len(entry) > LINE_WIDTH:
            entry = f"  {_json(name)}: " + json.dumps(value, ensure_ascii=False, indent=2).replace(
                "\n", "\n  "
            )
        entries.append(entry)
    body = ",\n".join(entries).split("\n")
    lines = [PARAMS_LINE + "{", *(MORE + line for line in body), MORE + "}"]
    return f"{TEMPLATE_LINE}{template_id}\n" + "\n".join(lines) + "\n"


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def read(code: str) -> tuple[str, dict] | None:
    """The template id and raw parameters from the header, or None if there is none."""
    lines = code[:MAX_HEADER_CHARS].split("\n")
    found = _TEMPLATE.fullmatch(lines[0])
    if not found or len(lines) < 2 or not lines[1].startswith(PARAMS_LINE):
        return None
    values = [lines[1].removeprefix(PARAMS_LINE)]
    for line in lines[2:-1]:  # the last piece may be cut short by the bound: never read it
        if not line.startswith(MORE):
            break
        values.append(line.removeprefix(MORE))
    else:
        return None  # the header runs past the bound
    try:
        params = json.loads("\n".join(values))
    except ValueError:
        return None
    return (found.group(1), params) if isinstance(params, dict) else None
