"""Travel between points: (metres, seconds) matrices, row = from, column = to.

Two models, both `TravelMatrix` callables (problem.py):

* `Haversine` — great-circle distance times a road factor, driven at a fixed speed. Needs
  no service and no network, so it is the default and what the tests and the simulator use.
* `Osrm` — an OSRM-compatible `/table/v1/driving/` service, used when the office
  configures one (JEMPUT_OSRM_URL). Large tables are asked for in blocks, because OSRM
  refuses tables above its `--max-table-size` (100 by default).

Both return numpy int64 arrays: they index like the lists the contract names
(`m[i][j]`) and a regency's few thousand points stay a few hundred MB, not gigabytes of
Python ints.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import httpx
import numpy as np

from jemput.planning.problem import Point

EARTH_RADIUS_M = 6_371_008.8  # mean Earth radius (IUGG)
DEFAULT_ROAD_FACTOR = 1.3     # roads wind: ~1.3x the straight line in rural Java
DEFAULT_SPEED_KMH = 30.0      # a Kijang on village roads, stops and junctions included


def haversine_metres(points: Sequence[Point]) -> np.ndarray:
    """Great-circle distances in metres between every pair of points (float matrix)."""
    lat = np.radians(np.array([p.lat for p in points], dtype=float))
    lng = np.radians(np.array([p.lng for p in points], dtype=float))
    dlat = lat[None, :] - lat[:, None]
    dlng = lng[None, :] - lng[:, None]
    a = np.sin(dlat / 2) ** 2 + np.cos(lat[:, None]) * np.cos(lat[None, :]) * np.sin(dlng / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


@dataclass(frozen=True)
class Haversine:
    """Straight-line distance times `road_factor`, driven at `speed_kmh`."""

    road_factor: float = DEFAULT_ROAD_FACTOR
    speed_kmh: float = DEFAULT_SPEED_KMH

    def __post_init__(self) -> None:
        if self.road_factor < 1 or self.speed_kmh <= 0:
            raise ValueError("road_factor must be >= 1 and speed_kmh > 0")

    def __call__(self, points: Sequence[Point]) -> tuple[np.ndarray, np.ndarray]:
        if not points:
            empty = np.zeros((0, 0), dtype=np.int64)
            return empty, empty.copy()
        road = haversine_metres(points) * self.road_factor
        metres = np.rint(road).astype(np.int64)
        seconds = np.rint(road / (self.speed_kmh * 1000 / 3600)).astype(np.int64)
        return metres, seconds


class OsrmError(RuntimeError):
    """The table service failed or answered something we cannot use."""


@dataclass
class Osrm:
    """An OSRM-compatible table service (`{url}/table/v1/driving/...`).

    Parameters
    ----------
    url
        The service root, e.g. ``http://localhost:5000``.
    client
        The httpx client to use (tests pass one with a ``MockTransport``).
    block
        Sources (and destinations) per request; a request carries at most ``2 * block``
        coordinates, below OSRM's default ``--max-table-size`` of 100.
    fallback
        Fills cells the service leaves null (no road between the two points).
    """

    url: str
    client: httpx.Client | None = None
    block: int = 50
    timeout: float = 30.0
    fallback: Haversine = Haversine()

    def __call__(self, points: Sequence[Point]) -> tuple[np.ndarray, np.ndarray]:
        n = len(points)
        metres = np.zeros((n, n), dtype=np.int64)
        seconds = np.zeros((n, n), dtype=np.int64)
        client = self.client or httpx.Client(timeout=self.timeout)
        try:
            for s0 in range(0, n, self.block):
                sources = list(range(s0, min(n, s0 + self.block)))
                for d0 in range(0, n, self.block):
                    targets = list(range(d0, min(n, d0 + self.block)))
                    dist, dur = self._table(client, points, sources, targets)
                    metres[np.ix_(sources, targets)] = dist
                    seconds[np.ix_(sources, targets)] = dur
        finally:
            if self.client is None:
                client.close()
        np.fill_diagonal(metres, 0)
        np.fill_diagonal(seconds, 0)
        return metres, seconds

    def _table(self, client: httpx.Client, points: Sequence[Point], sources: list[int],
               targets: list[int]) -> tuple[np.ndarray, np.ndarray]:
        # Only the block's own points travel in the URL: sources first, then targets.
        block_points = [points[i] for i in sources] + [points[j] for j in targets]
        coords = ";".join(f"{p.lng:.6f},{p.lat:.6f}" for p in block_points)
        src = ";".join(str(i) for i in range(len(sources)))
        dst = ";".join(str(len(sources) + j) for j in range(len(targets)))
        response = client.get(
            f"{self.url.rstrip('/')}/table/v1/driving/{coords}",
            params={"sources": src, "destinations": dst, "annotations": "distance,duration"},
        )
        if response.status_code != 200:
            raise OsrmError(f"OSRM table: HTTP {response.status_code}: {response.text[:200]}")
        body = response.json()
        if body.get("code") != "Ok" or "durations" not in body or "distances" not in body:
            raise OsrmError(f"OSRM table: unexpected answer {str(body)[:200]}")
        fb_m, fb_s = self.fallback(block_points)
        dist = np.zeros((len(sources), len(targets)), dtype=np.int64)
        dur = np.zeros_like(dist)
        for i in range(len(sources)):
            for j in range(len(targets)):
                d = body["distances"][i][j]
                t = body["durations"][i][j]
                # null: OSRM found no road; the straight-line model keeps the plan whole.
                dist[i, j] = fb_m[i, len(sources) + j] if d is None else round(d)
                dur[i, j] = fb_s[i, len(sources) + j] if t is None else round(t)
        return dist, dur


def travel_model(*, osrm_url: str | None = None, speed_kmh: float = DEFAULT_SPEED_KMH,
                 road_factor: float = DEFAULT_ROAD_FACTOR) -> Haversine | Osrm:
    """The travel model an office configured: OSRM when a URL is set, else haversine."""
    straight = Haversine(road_factor=road_factor, speed_kmh=speed_kmh)
    if osrm_url:
        return Osrm(url=osrm_url, fallback=straight)
    return straight


def travel_from_settings() -> Haversine | Osrm:
    """The travel model of JEMPUT_OSRM_URL, JEMPUT_TRAVEL_SPEED_KMH, JEMPUT_ROAD_FACTOR."""
    from jemput.config import get_settings

    settings = get_settings()
    return travel_model(osrm_url=settings.osrm_url, speed_kmh=settings.travel_speed_kmh,
                        road_factor=settings.road_factor)
