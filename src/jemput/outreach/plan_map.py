"""A campaign's current plan as GeoJSON for the map component (static/map.js).

The same readers as the plan page (campaigns.access_campaign) get the map, and it holds
less than the page: a stop says when, what kind and how many people by category, never
who. The base layers (kecamatan outlines, desa points) come from reports/map_layers.py,
so the plan map and the coverage map draw areas the same way.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from jemput.auth.models import User
from jemput.i18n import translate
from jemput.outreach import campaigns, plans, resources
from jemput.outreach.models import PlanRoute, PlanStop, PlanStopMember, Team
from jemput.outreach.resources import hhmm
from jemput.planning.problem import Point
from jemput.regions.models import Region
from jemput.reports import map_layers
from jemput.reports.service import href

# Dark2 (ColorBrewer): distinct for the colour-blind as far as eight teams; beyond that
# the colours repeat and the popup names the team.
TEAM_COLOURS = ("#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02",
                "#a6761d", "#666666")
BASE_COLOUR = "#1f2933"


def _kecamatan_of(code: str) -> str:
    return ".".join(code.split(".")[:3])


def _lng_lat(latitude: float, longitude: float) -> list[float]:
    return [longitude, latitude]


def plan_layers(*, session: Session, user: User, campaign_id: int, locale: str = "id",
                day: date | None = None, team_id: int | None = None) -> dict[str, Any]:
    """The campaign's area and its current plan's routes, optionally one day or one team."""
    campaign = campaigns.access_campaign(session=session, user=user, campaign_id=campaign_id)
    area = campaign.area_code
    desa_rows = list(session.scalars(select(Region).where(
        Region.level == "desa", (Region.code == area) | Region.code.like(area + ".%"))
        .order_by(Region.code)))
    kecamatan = {_kecamatan_of(r.code) for r in desa_rows}
    if area.count(".") == 2:
        kecamatan.add(area)
    outlines = map_layers.kecamatan_outlines(session=session, codes=kecamatan, locale=locale)
    plan = plans.current_plan(session=session, campaign=campaign)
    people_by_desa: Counter[str] = Counter()
    routes: list[dict[str, Any]] = []
    stops: list[dict[str, Any]] = []
    bases: dict[tuple[int, Point], dict[str, Any]] = {}
    if plan is not None:
        people_by_desa = Counter(d for d in session.scalars(select(PlanStopMember.desa_code)
                                                            .where(PlanStopMember.plan_id
                                                                   == plan.id)) if d)
        routes, stops, bases = _route_layers(session, campaign, plan.id, locale=locale,
                                             day=day, team_id=team_id)
    planned = translate("plan_map.planned_here", locale)
    desa = [map_layers.desa_point(code=r.code, name=r.name, latitude=r.latitude,
                                  longitude=r.longitude, href=href(r.code),
                                  lines=[f"{people_by_desa[r.code]} {planned}"])
            for r in desa_rows if r.latitude is not None and r.longitude is not None]
    return {
        "type": "FeatureCollection",
        "features": [*outlines, *desa, *routes, *bases.values(), *stops],
        "campaign_id": campaign.id,
        "plan_version": plan.version if plan is not None else None,
        "outline_sources": sorted({o["properties"]["source"] for o in outlines}),
        "teams": list({f["properties"]["team_id"]: {
            "id": f["properties"]["team_id"], "name": f["properties"]["team"],
            "colour": f["properties"]["colour"]} for f in bases.values()}.values()),
    }


def _route_layers(session: Session, campaign: Any, plan_id: int, *, locale: str,
                  day: date | None, team_id: int | None
                  ) -> tuple[list[dict[str, Any]], list[dict[str, Any]],
                             dict[tuple[int, Point], dict[str, Any]]]:
    order = resources.ids(campaign.team_ids)
    teams = {t.id: t for t in session.scalars(select(Team).where(Team.id.in_(order or [0])))}
    colour = {team: TEAM_COLOURS[n % len(TEAM_COLOURS)] for n, team in enumerate(order)}
    points = campaigns.area_points(session, campaign.area_code)
    query = select(PlanRoute).where(PlanRoute.plan_id == plan_id)
    if day is not None:
        query = query.where(PlanRoute.day == day)
    if team_id is not None:
        query = query.where(PlanRoute.team_id == team_id)
    routes = list(session.scalars(query.order_by(PlanRoute.day, PlanRoute.team_id)))
    stops_of: dict[int, list[PlanStop]] = defaultdict(list)
    for stop in session.scalars(select(PlanStop).where(
            PlanStop.route_id.in_([r.id for r in routes] or [0])).order_by(PlanStop.position)):
        stops_of[stop.route_id].append(stop)
    categories: dict[int, Counter[str]] = defaultdict(Counter)
    for stop_id, category in session.execute(select(
            PlanStopMember.stop_id, PlanStopMember.category).where(
            PlanStopMember.stop_id.in_([s.id for ss in stops_of.values() for s in ss] or [0]))):
        categories[stop_id][category] += 1
    lines: list[dict[str, Any]] = []
    markers: list[dict[str, Any]] = []
    bases: dict[tuple[int, Point], dict[str, Any]] = {}
    for route in routes:
        team = teams.get(route.team_id)
        team_name = team.name if team else str(route.team_id)
        hue = colour.get(route.team_id, TEAM_COLOURS[0])
        # The base the route was planned from; a route stored before that was kept
        # falls back to the team's base now.
        if route.base_latitude is not None and route.base_longitude is not None:
            base: Point | None = Point(route.base_latitude, route.base_longitude)
            base_name = route.base_name
        else:
            base = campaigns.base_of(team, points, campaign.area_code) if team else None
            base_name = (team.base_name if team else "") or campaign.area_code
        if base is not None and (route.team_id, base) not in bases:
            bases[(route.team_id, base)] = {
                "type": "Feature", "geometry": {"type": "Point",
                                                "coordinates": _lng_lat(base.lat, base.lng)},
                "properties": {"kind": "base", "code": f"base-{route.team_id}-{len(bases)}",
                               "team_id": route.team_id, "team": team_name, "colour": hue,
                               "radius": 8,
                               "name": f"{translate('plan_map.base', locale)} {team_name}",
                               "lines": [base_name]}}
        placed = [s for s in stops_of[route.id] if s.latitude is not None
                  and s.longitude is not None]
        path = [_lng_lat(s.latitude, s.longitude) for s in placed]  # type: ignore[arg-type]
        if base is not None:  # the day starts and ends at the base
            path = [_lng_lat(base.lat, base.lng), *path, _lng_lat(base.lat, base.lng)]
        day_text = route.day.isoformat()
        people = sum(sum(categories[s.id].values()) for s in stops_of[route.id])
        if len(path) >= 2:
            lines.append({
                "type": "Feature", "geometry": {"type": "LineString", "coordinates": path},
                "properties": {
                    "kind": "route", "code": f"{day_text}/{route.team_id}", "day": day_text,
                    "team_id": route.team_id, "team": team_name, "colour": hue,
                    "name": f"{team_name} · {day_text}",
                    "lines": [f"{hhmm(route.leaves)}–{hhmm(route.returns)}",
                              f"{len(stops_of[route.id])} "
                              f"{translate('plan_map.stops', locale)}, {people} "
                              f"{translate('plan_map.people', locale)}",
                              f"{round(route.metres / 1000, 1)} km"]}})
        for stop in placed:
            markers.append(_stop_feature(stop, categories[stop.id], day_text, route.team_id,
                                         team_name, hue, locale))
    return lines, markers, bases


def _stop_feature(stop: PlanStop, counted: Counter[str], day: str, team_id: int,
                  team_name: str, colour: str, locale: str) -> dict[str, Any]:
    kind = translate(f"plan_map.kind.{stop.kind}", locale)
    # A home visit is named by its kind and desa, never by the person or the address:
    # the map is the page's summary, who lives there stays on the page and the day sheet.
    name = stop.place if stop.kind != "rumah" else f"{kind} · {stop.desa_code or ''}"
    people = sum(counted.values())
    lines = [f"{hhmm(stop.arrives)}–{hhmm(stop.departs)} · {day} · {team_name}", kind,
             f"{people} {translate('plan_map.people', locale)}"
             + (" (" + ", ".join(f"{n} {c}" for c, n in sorted(counted.items())) + ")"
                if counted else "")]
    if stop.escort:
        lines.append(f"{translate('outreach.escort', locale)}: {stop.escort.replace(',', ', ')}")
    return {
        "type": "Feature",
        "geometry": {"type": "Point",
                     "coordinates": _lng_lat(stop.latitude, stop.longitude)},  # type: ignore[arg-type]
        "properties": {"kind": "stop", "code": f"{day}/{team_id}/{stop.position}",
                       "day": day, "team_id": team_id, "stop_kind": stop.kind,
                       "people": people, "label": str(stop.position), "colour": colour,
                       "radius": 7, "name": name, "lines": lines},
    }
