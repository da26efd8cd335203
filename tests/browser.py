"""Real-browser helpers: Debian's Chromium driven by Playwright, pages served from a local folder."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright

from huashu.pdf import CHROMIUM, CHROMIUM_ARGS  # the same browser and flags as the PDF export


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    headers_to_send: dict[str, str] = {}  # sent with every response, as a web server's config would

    def log_message(self, format: str, *args: object) -> None:
        pass

    def end_headers(self) -> None:
        for name, value in self.headers_to_send.items():
            self.send_header(name, value)
        super().end_headers()


class _QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        # A browser that closes a connection early (navigation, context closed) is normal.
        pass


# An init script that collects a page's Content-Security-Policy violations in
# window.__violations, as "directive blocked-uri".
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) =>
  window.__violations.push(e.effectiveDirective + " " + e.blockedURI));
"""


@contextmanager
def serve(folder: Path, headers: dict[str, str] | None = None) -> Iterator[str]:
    """Serve `folder` over HTTP on a free localhost port, sending `headers` with every
    response; yields the base URL."""
    handler_class = type("_Handler", (_QuietHandler,), {"headers_to_send": dict(headers or {})})
    handler = functools.partial(handler_class, directory=str(folder))
    server = _QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def chromium() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
