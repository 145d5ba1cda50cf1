"""What a browser fetches on its own: the site icon, served by the app itself."""

from __future__ import annotations

import struct


def test_favicon_is_a_real_icon_for_anyone(anonymous):
    response = anonymous.get("/favicon.ico")
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/x-icon"
    reserved, kind, count = struct.unpack("<HHH", response.content[:6])
    assert (reserved, kind) == (0, 1) and count >= 1
    sizes = {response.content[6 + 16 * i] for i in range(count)}
    assert {16, 32} <= sizes


def test_pages_name_their_icons_and_serve_them(anonymous):
    page = anonymous.get("/masuk").text
    assert 'rel="icon" href="/favicon.ico"' in page
    assert 'rel="icon" href="/static/favicon.svg"' in page
    svg = anonymous.get("/static/favicon.svg")
    assert svg.status_code == 200 and svg.text.startswith("<svg")
