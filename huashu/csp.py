"""Content-Security-Policy for every built page: no script but the site's own.

The policy goes in a <meta> tag (intranet web servers are often not ours to
configure), first in <head> so it covers everything after it. Scripts must come
from the site itself; the few inline scripts Material writes into its template
are allowed by their exact SHA-256, so any other inline script, event-handler
attribute or javascript: link, should one ever reach a page, does not run.
Requests can only go to the site's own origin, which also keeps the intranet
promise: no fonts, CDNs or trackers from outside.
"""

from __future__ import annotations

import base64
import hashlib
import re

_INLINE_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.DOTALL | re.IGNORECASE)
# The inline scripts Material's templates write (storage helpers; opening a tab from the URL).
# Only these are allowed by hash: any other inline script is refused by the browser and
# reported at build time, since it can only have come from content.
THEME_SCRIPTS = (
    re.compile(r"^__md_scope=new URL\("),
    re.compile(r"^var target=document\.getElementById\(location\.hash\.slice\(1\)\)"),
)
_DATA_TYPES = ("application/json", "application/ld+json", "text/template")
_HEAD = re.compile(r"<head[^>]*>", re.IGNORECASE)

BASE_POLICY = (
    ("default-src", "'self'"),
    ("style-src", "'self' 'unsafe-inline'"),  # Material sets style attributes from its scripts
    ("img-src", "'self' data:"),
    ("font-src", "'self' data:"),
    ("connect-src", "'self'"),
    ("object-src", "'none'"),
    ("base-uri", "'self'"),
    ("form-action", "'self'"),
)


def inline_scripts(html: str) -> list[str]:
    """The text of every executable inline script of a page, in order of appearance."""
    scripts = []
    for match in _INLINE_SCRIPT.finditer(html):
        attrs = match.group("attrs").lower()
        if "src=" not in attrs and not any(kind in attrs for kind in _DATA_TYPES):
            scripts.append(match.group("body"))
    return scripts


def is_theme_script(script: str) -> bool:
    return any(pattern.match(script.strip()) for pattern in THEME_SCRIPTS)


def unknown_inline_scripts(html: str, scripts: list[str] | None = None) -> list[str]:
    """Inline scripts that are not the theme's (`scripts`: the page's, if already found)."""
    return [s for s in (inline_scripts(html) if scripts is None else scripts) if not is_theme_script(s)]


def script_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def policy_for(scripts: list[str]) -> str:
    """The policy for a page whose inline scripts are `scripts`."""
    allowed = dict.fromkeys(script_hash(s) for s in scripts if is_theme_script(s))
    script_src = " ".join(["'self'", *allowed])
    directives = [*BASE_POLICY[:1], ("script-src", script_src), *BASE_POLICY[1:]]
    return "; ".join(f"{name} {value}" for name, value in directives)


def add_policy(html: str, scripts: list[str] | None = None) -> str:
    """The page with its policy as the first element of <head> (unchanged if it has no head).

    `scripts`: the page's inline scripts, if the caller has already looked for them."""
    head = _HEAD.search(html)
    if head is None:
        return html
    policy = policy_for(inline_scripts(html) if scripts is None else scripts)
    meta = f'\n    <meta http-equiv="Content-Security-Policy" content="{policy}">'
    return html[: head.end()] + meta + html[head.end() :]
