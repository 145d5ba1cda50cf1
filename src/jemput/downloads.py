"""The response every export and report download is sent in: saved by the browser, never cached.

Exports hold names and (masked) NIKs: `no-store` keeps them out of shared and browser
caches, where the next user of an office computer would find them.
"""

from __future__ import annotations

from fastapi.responses import Response

from jemput.spreadsheets import XLSX_MEDIA_TYPE


def attachment(content: bytes, file_name: str, media_type: str = XLSX_MEDIA_TYPE) -> Response:
    """Return `content` as a file to save under `file_name`."""
    return Response(content, media_type=media_type,
                    headers={"Content-Disposition": f'attachment; filename="{file_name}"',
                             "Cache-Control": "no-store"})
