"""Travel models: haversine with a road factor, and an OSRM table service faked with httpx."""

from __future__ import annotations

import math

import httpx
import pytest

from jemput.planning.problem import Point
from jemput.planning.travel import Haversine, Osrm, OsrmError, travel_model


def test_haversine_is_the_great_circle_times_the_road_factor_at_the_speed():
    # One degree of latitude on the mean-radius sphere (6,371,008.8 m).
    degree = math.pi / 180 * 6_371_008.8
    a, b = Point(-7.0, 110.0), Point(-8.0, 110.0)
    metres, seconds = Haversine(road_factor=1.3, speed_kmh=30)([a, b])
    assert metres[0][0] == 0 and metres[0][1] == metres[1][0]
    assert metres[0][1] == round(degree * 1.3)
    assert seconds[0][1] == round(degree * 1.3 / (30_000 / 3600))


def test_haversine_refuses_a_road_shorter_than_the_straight_line():
    with pytest.raises(ValueError):
        Haversine(road_factor=0.9)


def fake_osrm(requests: list[httpx.Request]):
    """An OSRM table service: distance 1000 x |i - j| in the block, one road missing."""

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        coords = request.url.path.split("/table/v1/driving/")[1].split(";")
        lats = [float(c.split(",")[1]) for c in coords]
        src = [int(i) for i in request.url.params["sources"].split(";")]
        dst = [int(j) for j in request.url.params["destinations"].split(";")]
        assert request.url.params["annotations"] == "distance,duration"
        dist = [[abs(lats[i] - lats[j]) * 1000 * 100 for j in dst] for i in src]
        dur = [[d / 10 for d in row] for row in dist]
        for i, si in enumerate(src):
            for j, dj in enumerate(dst):
                if lats[si] == -7.03 and lats[dj] == -7.0:   # no road from point 3 to point 0
                    dist[i][j] = dur[i][j] = None
        return httpx.Response(200, json={"code": "Ok", "distances": dist, "durations": dur})

    return handler


def test_osrm_table_is_asked_in_blocks_and_fills_missing_roads_by_haversine():
    points = [Point(-7.0 - k / 100, 110.0) for k in range(5)]
    requests: list[httpx.Request] = []
    client = httpx.Client(transport=httpx.MockTransport(fake_osrm(requests)))
    metres, seconds = Osrm(url="http://osrm.test/", client=client, block=2)(points)
    assert len(requests) == 9                         # 3 source blocks x 3 target blocks
    assert all(len(r.url.path.split(";")) <= 4 for r in requests)
    assert metres[0][4] == 4000 and seconds[0][4] == 400
    assert metres[2][1] == 1000 and metres[1][1] == 0
    straight, _ = Haversine()([points[3], points[0]])
    assert metres[3][0] == straight[0][1]             # no road: the straight-line model


def test_osrm_errors_say_what_the_service_answered():
    client = httpx.Client(transport=httpx.MockTransport(
        lambda request: httpx.Response(400, json={"code": "TooBig"})))
    with pytest.raises(OsrmError, match="HTTP 400"):
        Osrm(url="http://osrm.test", client=client)([Point(-7, 110), Point(-7.1, 110)])


def test_osrm_is_used_only_when_a_url_is_configured():
    assert isinstance(travel_model(), Haversine)
    assert isinstance(travel_model(osrm_url="http://osrm.test"), Osrm)
    assert travel_model(speed_kmh=40).speed_kmh == 40
