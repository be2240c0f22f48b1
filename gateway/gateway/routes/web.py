"""The web clients, served by the gateway: the staff console at ``/`` and the resident
phone pages at ``/h5/`` — the files ``npm run build`` writes into ``web/dist``
(``GATEWAY_WEB_DIR``; by default the repository's ``web/dist``, which is where the image
puts the build too).

- Hashed assets (``/assets/<name>-<hash>.<ext>``) are cached for a year (``immutable``);
  the pages themselves (``index.html``) are ``no-cache``, so a new build is picked up at
  once.
- A browser navigating (``Accept: text/html``) to a path of the console gets the
  console's ``index.html``, under ``/h5/`` the phone pages' one (the clients route in the
  page, HTML5 history). Anything under ``/api`` keeps the API's 404, and so does a client
  that does not ask for HTML, or a path that names a file (``.js``, ``.css`` …).
- Every response carries a strict Content-Security-Policy: scripts, styles, images,
  fonts and connections from the platform's own origin only (fonts and images also as
  ``data:``, which the bundled icon fonts use; ``blob:`` for downloads made in the page),
  no inline scripts, no eval, no framing; and ``nosniff``, ``no-referrer``.
  Inline *styles* stay allowed: the UI libraries position popovers with style attributes.
"""
from __future__ import annotations

import re
from pathlib import Path

from flask import Blueprint, abort, current_app, request, send_from_directory
from werkzeug.security import safe_join

from fazhi_shared.errors import NotFound

from gateway import config
from gateway.auth import public



class WebBlueprint(Blueprint):
    """A plain Flask blueprint ``api.register_blueprint`` accepts: the pages are not part
    of the API, so nothing of them goes into the OpenAPI document."""

    description = "网页端 / web clients (pages, not API operations)"

    def register_views_in_doc(self, *args, **kwargs) -> None:
        """Nothing to document."""


blp = WebBlueprint("web", __name__)

DEFAULT_DIR = Path(__file__).resolve().parents[3] / "web" / "dist"
PHONE = "h5"
YEAR = 365 * 24 * 3600
HASHED = re.compile(r"^assets/[^/]+-[A-Za-z0-9_-]{6,}\.[a-z0-9]+$")

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
NOT_BUILT = ("网页端尚未构建（在 web/ 目录运行 npm ci && npm run build）。",
             "The web clients are not built (run npm ci && npm run build in web/).")


def web_dir() -> Path:
    """The build directory: the app's config (tests), else ``GATEWAY_WEB_DIR``, else the
    repository's ``web/dist``."""
    value = current_app.config.get("GATEWAY_WEB_DIR") or config.WEB_DIR.get()
    return Path(value) if value else DEFAULT_DIR


def _secure(response):
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def _file(path: str):
    """A file of the build, or None (never outside the build directory)."""
    root = web_dir()
    joined = safe_join(str(root), path)
    if joined is None or not Path(joined).is_file():
        return None
    hashed = bool(HASHED.match(path))
    response = send_from_directory(str(root), path, max_age=YEAR if hashed else 0)
    response.headers["Cache-Control"] = (f"public, max-age={YEAR}, immutable" if hashed
                                         else "no-cache")
    return _secure(response)


def _page(client: str):
    """The index.html of a client (``""`` the console, ``"h5"`` the phone pages)."""
    index = f"{client}/index.html" if client else "index.html"
    response = _file(index)
    if response is None:
        raise NotFound(*NOT_BUILT)
    response.headers["Cache-Control"] = "no-cache"
    return response


def _wants_page() -> bool:
    """A browser navigating names text/html itself; ``*/*`` (curl, HTTP libraries) or JSON
    is an API client, which gets the 404 envelope."""
    return any(mimetype in ("text/html", "application/xhtml+xml") and quality > 0
               for mimetype, quality in request.accept_mimetypes)


@blp.route("/", methods=["GET"])
@public
def console():
    """The staff console."""
    return _page("")


@blp.route("/h5/", methods=["GET"])
@blp.route("/h5", methods=["GET"])
@public
def phone():
    """The resident phone pages."""
    if request.path == "/h5":
        return _secure(current_app.redirect("/h5/", 308))
    return _page(PHONE)


@blp.route("/<path:path>", methods=["GET"])
@public
def anything(path: str):
    """A file of the build, or — for a browser navigating to a page of a client — that
    client's index.html; a 404 in the error envelope otherwise."""
    # The same 404 as for any unknown URL ("No such URL."): under /api, for a path that
    # climbs (..), names a missing file, or is asked for by a client that wants no page.
    if path == "api" or path.startswith("api/") or ".." in path.split("/"):
        abort(404)
    found = _file(path)
    if found is not None:
        return found
    if "." in path.rsplit("/", 1)[-1] or not _wants_page():
        abort(404)
    return _page(PHONE if path == PHONE or path.startswith(PHONE + "/") else "")
