"""Content-Security-Policy for every built page: no script but the site's own files.

The policy goes in a <meta> tag (intranet web servers are often not ours to
configure), first in <head> so it covers everything after it, and it is the same
on every page, so a web server may send it as a header too (docs/guide/publish.md
gives the exact lines; tests/test_publish_headers.py serves the site with them).

Scripts must be files of the site: no inline script runs. The few inline scripts
Material writes into its pages (its storage helpers, which name the page's base
URL) are recognised by their exact text, rendered from the theme's own templates
for that page, and moved into small files of the site; any other inline script,
event-handler attribute or javascript: link, should one ever reach a page, does not
run, and the build names the page. Requests can only go to the site's own origin,
which also keeps the intranet promise: no fonts, CDNs or trackers from outside.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

_INLINE_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.DOTALL | re.IGNORECASE)
_DATA_TYPES = ("application/json", "application/ld+json", "text/template")
_HEAD = re.compile(r"<head[^>]*>", re.IGNORECASE)
# Where the theme's inline scripts go, as files named by their content (cached for good).
THEME_SCRIPT_FOLDER = "assets/huashu/theme"

DIRECTIVES = (
    ("default-src", "'self'"),
    ("script-src", "'self'"),
    ("style-src", "'self' 'unsafe-inline'"),  # style attributes: Material's scripts, card font sizes
    ("img-src", "'self' data:"),
    ("font-src", "'self' data:"),
    ("connect-src", "'self'"),
    ("object-src", "'none'"),
    ("base-uri", "'self'"),
    ("form-action", "'self'"),
)
# Only a header can say these: a <meta> policy ignores them (and the browser complains).
HEADER_ONLY_DIRECTIVES = (("frame-ancestors", "'self'"),)


def _policy(directives: tuple[tuple[str, str], ...]) -> str:
    return "; ".join(f"{name} {value}" for name, value in directives)


POLICY = _policy(DIRECTIVES)
# The policy as a web server should send it (docs/guide/publish.md).
HEADER_POLICY = _policy(DIRECTIVES + HEADER_ONLY_DIRECTIVES)


def _is_executable(attrs: str) -> bool:
    attrs = attrs.lower()
    return "src=" not in attrs and not any(kind in attrs for kind in _DATA_TYPES)


def inline_scripts(html: str) -> list[str]:
    """The text of every executable inline script of a page, in order of appearance."""
    return [m.group("body") for m in _INLINE_SCRIPT.finditer(html) if _is_executable(m.group("attrs"))]


def theme_script_file(script: str) -> str:
    """The site path a theme script is moved to: named by its content, so never stale."""
    digest = hashlib.sha256(script.encode("utf-8")).hexdigest()[:16]
    return f"{THEME_SCRIPT_FOLDER}/{digest}.js"


def move_theme_scripts(html: str, theme_scripts: frozenset[str], place: Callable[[str], str]) -> tuple[str, list[str]]:
    """The page with each inline script that is exactly one of `theme_scripts` loaded from
    a file instead (`place`: stores the script, returns its URL from this page), and the
    inline scripts left over.

    A script is the theme's only if its text is identical: one that merely begins like
    Material's helper stays inline, where the policy stops it."""
    unknown: list[str] = []

    def replace(match: re.Match[str]) -> str:
        body = match.group("body")
        if not _is_executable(match.group("attrs")):
            return match.group()
        if body in theme_scripts:
            return f'<script src="{place(body)}"></script>'
        unknown.append(body)
        return match.group()

    return _INLINE_SCRIPT.sub(replace, html), unknown


def add_policy(html: str) -> str:
    """The page with the policy as the first element of <head> (unchanged if it has no head)."""
    head = _HEAD.search(html)
    if head is None:
        return html
    meta = f'\n    <meta http-equiv="Content-Security-Policy" content="{POLICY}">'
    return html[: head.end()] + meta + html[head.end() :]
