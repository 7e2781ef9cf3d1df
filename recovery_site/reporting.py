"""Content-Security-Policy violation reports: where browsers send them, and what we keep.

A report holds the page's full address, the referrer and a sample of the blocked code, any
of which can carry what a visitor typed or searched for. We log one line per violation with
only what tells us which rule broke where: the directive, the blocked origin (or "inline",
"eval"), the page's path without its query string, the disposition and the line and column.
"""

import json
import re
from urllib.parse import urlsplit

# Browsers send one violation in well under 2 KB; a batch of a few fits easily.
MAX_BODY_BYTES = 16 * 1024
# Reports accepted per client (intake/throttle.py) before the rest are dropped unread.
RATE_LIMIT, RATE_WINDOW_SECONDS = 30, 600
# Violations logged from one request: a batch of hundreds is noise or an attack.
MAX_REPORTS_PER_REQUEST = 5
CONTENT_TYPES = {"application/csp-report", "application/reports+json", "application/json"}

_DIRECTIVE = re.compile(r"[a-z-]{1,40}")
_HOST = re.compile(r"[a-z0-9.-]{1,253}|\[[0-9a-f:.]{2,45}\]")
_PATH = re.compile(r"/[A-Za-z0-9/._~%!$&'()*+,;=:@-]{0,199}")
# What browsers write instead of an address for code that had none.
_KEYWORDS = {"inline", "eval", "wasm-eval", "self", "data", "blob", "trusted-types-sink"}


def violations(body: bytes) -> list[dict]:
    """The violation reports in a report-uri or report-to body; ValueError if it is neither."""
    try:
        data = json.loads(body)
    except RecursionError:  # "[[[[…" nested thousands deep
        raise ValueError("nested too deeply") from None
    if isinstance(data, dict) and isinstance(data.get("csp-report"), dict):
        # report-uri: {"csp-report": {"violated-directive": …, "blocked-uri": …}}
        report = data["csp-report"]
        return [
            {
                "directive": report.get("effective-directive") or report.get("violated-directive"),
                "blocked": report.get("blocked-uri"),
                "document": report.get("document-uri"),
                "disposition": report.get("disposition"),
                "line": report.get("line-number"),
                "column": report.get("column-number"),
            }
        ]
    if isinstance(data, list):
        # report-to: [{"type": "csp-violation", "body": {"effectiveDirective": …}}, …]
        return [
            {
                "directive": item["body"].get("effectiveDirective"),
                "blocked": item["body"].get("blockedURL"),
                "document": item["body"].get("documentURL") or item.get("url"),
                "disposition": item["body"].get("disposition"),
                "line": item["body"].get("lineNumber"),
                "column": item["body"].get("columnNumber"),
            }
            for item in data
            if isinstance(item, dict)
            and item.get("type") == "csp-violation"
            and isinstance(item.get("body"), dict)
        ]
    raise ValueError("not a CSP report")


def summary(violation: dict) -> dict:
    """Only what says which rule broke where; nothing a visitor typed or searched for."""
    directive = _text(violation["directive"]).split(" ")[0].lower()
    disposition = _text(violation["disposition"])
    return {
        "directive": directive if _DIRECTIVE.fullmatch(directive) else "unknown",
        "blocked": _origin(_text(violation["blocked"])),
        "document": _path(_text(violation["document"])),
        "disposition": disposition if disposition in {"enforce", "report"} else "unknown",
        "line": _number(violation["line"]),
        "column": _number(violation["column"]),
    }


def _text(value) -> str:
    return value.strip()[:2000] if isinstance(value, str) else ""


def _origin(blocked: str) -> str:
    """An address reduced to its scheme and host: never its path or query."""
    if blocked.lower() in _KEYWORDS:
        return blocked.lower()
    try:
        parts = urlsplit(blocked)
        host = (parts.hostname or "").lower()
    except ValueError:
        return "other"
    scheme = parts.scheme.lower()
    if not re.fullmatch(r"[a-z][a-z0-9+.-]{0,20}", scheme):
        return "other"
    if not host:
        return f"{scheme}:"  # data:, blob:, about: …
    if ":" in host:
        host = f"[{host}]"
    return f"{scheme}://{host}" if _HOST.fullmatch(host) else f"{scheme}://other"


def _path(document: str) -> str:
    try:
        path = urlsplit(document).path
    except ValueError:
        return "unknown"
    return path if _PATH.fullmatch(path) else "unknown"


def _number(value) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 10_000_000:
        return value
    return None
