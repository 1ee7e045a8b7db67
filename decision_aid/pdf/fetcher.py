"""The locked-down URL fetcher: every URL that reaches WeasyPrint goes through `LockedFetcher`,
which serves only the bundled files under static/pdf/ and the one logo file named in the
configuration, from a fake origin that is never resolved. Imported only where PDFs are drawn (the
render process): its base class is WeasyPrint's."""

from __future__ import annotations

import functools
import logging
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

log = logging.getLogger("decision_aid.pdf")

ASSETS_DIR = Path(__file__).resolve().parent.parent / "static" / "pdf"

# A fake origin that is never resolved; only the fetcher below knows what it means.
ASSET_HOST = "pdf-assets.invalid"
BASE_URL = f"https://{ASSET_HOST}/static/"
LOGO_PATH = "/logo/clinic-logo"
LOGO_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif"}
LOGO_MAX_BYTES = 2 * 1024 * 1024


class LockedFetcher(URLFetcher):
    """Serves only files under static/pdf/ and the configured logo; refuses every other URL.

    `requested` lists every URL WeasyPrint asked for (tests check it)."""

    def __init__(self, logo: Path | None = None):
        super().__init__(allowed_protocols=("https",), allow_redirects=False, timeout=1)
        self.logo = logo
        self.requested: list[str] = []

    def fetch(self, url, headers=None):
        self.requested.append(url)
        path = self.resolve(url)
        if path is None:
            raise ValueError(f"PDF fetcher refused {url[:200]!r}")
        ctype = LOGO_TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0]
        return URLFetcherResponse(
            url, _read_asset(path), {"Content-Type": ctype or "application/octet-stream"}
        )

    def resolve(self, url: str) -> Path | None:
        """The file a URL stands for, or None if it is not allowed."""
        try:
            parts = urlsplit(url)
        except ValueError:
            return None
        if parts.scheme != "https" or parts.netloc != ASSET_HOST or parts.query:
            return None
        if self.logo is not None and parts.path == LOGO_PATH + self.logo.suffix.lower():
            return self.logo
        if not parts.path.startswith("/static/"):
            return None
        relative = unquote(parts.path.removeprefix("/static/"))
        if "\\" in relative or "\x00" in relative:
            return None
        path = (ASSETS_DIR / relative).resolve()
        if not path.is_relative_to(ASSETS_DIR) or not path.is_file():
            return None
        return path


@functools.lru_cache(maxsize=32)
def _read_asset_cached(path: Path, mtime_ns: int, size: int) -> bytes:
    return path.read_bytes()


def _read_asset(path: Path) -> bytes:
    stat = path.stat()
    return _read_asset_cached(path, stat.st_mtime_ns, stat.st_size)


def usable_logo(clinic_logo: str | None) -> Path | None:
    """The configured logo as a resolved path, or None (with a log line) if it cannot be used."""
    if not clinic_logo:
        return None
    path = Path(clinic_logo).expanduser()
    try:
        path = path.resolve(strict=True)
        size = path.stat().st_size
    except OSError:
        log.warning("CLINIC_LOGO %s does not exist; the PDF has no logo", clinic_logo)
        return None
    if not path.is_file() or path.suffix.lower() not in LOGO_TYPES:
        log.warning("CLINIC_LOGO must be a PNG, JPEG or GIF file; the PDF has no logo")
        return None
    if size > LOGO_MAX_BYTES:
        log.warning("CLINIC_LOGO is larger than %d bytes; the PDF has no logo", LOGO_MAX_BYTES)
        return None
    return path
