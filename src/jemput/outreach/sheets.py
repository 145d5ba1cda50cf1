"""A plan on paper and in a spreadsheet: day sheets (PDF, A4), the plan as XLSX, a team's work.

Who reads what: the office (operator, kepala in scope) every team of a campaign's current
plan; a field officer (petugas) only the routes of their own team (their scope_team is
the team's name), and only once the kepala has approved the plan: a draft never goes to
the field. Anything else is NotFound, the same as a missing campaign. Paper carries the
masked NIK only (the plan stores nothing else), and every download is on the audit log
with counts, never names.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fpdf import FPDF
from sqlalchemy import select
from sqlalchemy.orm import Session

from jemput.auth import audit
from jemput.auth.access import NotFound, team_in_scope
from jemput.auth.models import Role, User
from jemput.outreach import campaigns, contacts, plans, resources
from jemput.outreach.models import Campaign, PlanLeftOut, PlanVersion, Team
from jemput.planning import problem as p
from jemput.spreadsheets import Export, xlsx_bytes
from jemput.targets.models import TargetMember
from jemput.vulnerable.models import CareProfile

KIND_WORDS = {str(p.StopKind.SESSION): "Sesi balai desa", str(p.StopKind.SCHOOL): "Sesi sekolah",
              str(p.StopKind.HOME): "Kunjungan rumah"}
ESCORT_WORDS = {str(p.Skill.ESCORT_DINSOS): "pendamping Dinsos",
                str(p.Skill.ESCORT_POLICE): "Bhabinkamtibmas",
                str(p.Skill.ESCORT_HEALTH): "tenaga Puskesmas",
                str(p.Skill.ODGJ_EXPERIENCE): "petugas berpengalaman ODGJ",
                str(p.Skill.SIGN_LANGUAGE): "juru bahasa isyarat"}
DAY_NAMES = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
          "September", "Oktober", "November", "Desember")


def _own_team(session: Session, user: User, campaign: Campaign) -> Team | None:
    if user.role != Role.PETUGAS or not user.scope_team:
        return None
    team = session.scalar(select(Team).where(Team.name == user.scope_team))
    if team is None or not team_in_scope(user, team.name) \
            or team.id not in resources.ids(campaign.team_ids):
        return None
    return team


def access_plan(*, session: Session, user: User,
                campaign_id: int) -> tuple[Campaign, PlanVersion, set[int] | None]:
    """The campaign, its current plan and the teams the user may read (None: all)."""
    campaign = session.get(Campaign, campaign_id)
    if campaign is None:
        raise NotFound(campaign_id)
    teams: set[int] | None = None
    if user.role == Role.PETUGAS:
        team = _own_team(session, user, campaign)
        if team is None or campaign.status != "approved":
            raise NotFound(campaign_id)
        teams = {team.id}
    else:
        campaigns.access_campaign(session=session, user=user, campaign_id=campaign_id)
    plan = plans.current_plan(session=session, campaign=campaign)
    if plan is None:
        raise NotFound(campaign_id)
    return campaign, plan, teams


def long_date(day: date) -> str:
    return f"{DAY_NAMES[day.weekday()]}, {day.day} {MONTHS[day.month - 1]} {day.year}"


def escort_words(codes: list[str]) -> str:
    return ", ".join(ESCORT_WORDS.get(code, code) for code in codes) or "-"


def _site_contacts(session: Session, site_key: str | None) -> str:
    """Whom to reach at a session's site: the contact the office entered (name, phone),
    else the desa or school accounts of Jemput by name (they carry no phone)."""
    entered = contacts.contacts_for(session, {site_key} if site_key else set())
    if site_key in entered:
        return entered[site_key]
    kind, _, key = (site_key or "").partition(":")
    if kind == "desa":
        where: Any = (User.role == Role.DESA) & (User.scope_region == key)
    elif kind == "sekolah":
        where = (User.role == Role.SEKOLAH) & (User.scope_institution == key)
    else:
        return ""
    names = session.scalars(select(User.full_name).where(where, User.is_active.is_(True))
                            .order_by(User.full_name))
    accounts = ", ".join(name for name in names if name)
    return f"akun Jemput: {accounts}" if accounts else ""


def _guardians(session: Session, member_ids: set[int]) -> dict[int, str]:
    """The guardian of each member with a care profile (read now, not when planned)."""
    rows = session.execute(
        select(TargetMember.id, CareProfile.guardian_name, CareProfile.guardian_relation)
        .join(CareProfile, CareProfile.resident_id == TargetMember.resident_id)
        .where(TargetMember.id.in_(sorted(member_ids) or [0])))
    return {member_id: f"{name} ({relation})" if relation else name
            for member_id, name, relation in rows if name}


def sheet_days(*, session: Session, user: User, campaign_id: int, day: date | None = None,
               team_id: int | None = None) -> tuple[Campaign, PlanVersion, list[dict[str, Any]]]:
    """The routes the user may print, with each stop's contact persons added."""
    campaign, plan, allowed = access_plan(session=session, user=user, campaign_id=campaign_id)
    if team_id is not None:
        if allowed is not None and team_id not in allowed:
            raise NotFound(team_id)
        allowed = {team_id}
    days, _ = plans.plan_days(session, plan, team_ids=allowed, day=day)
    if not days:
        raise NotFound(campaign_id)
    stops = [stop for d in days for route in d["routes"] for stop in route["stops"]]
    guardians = _guardians(session, {person["member_id"] for stop in stops
                                     for person in stop["people"]})
    sites: dict[str | None, str] = {}
    for stop in stops:
        if stop["kind"] == str(p.StopKind.HOME):
            for person in stop["people"]:
                person["guardian"] = guardians.get(person["member_id"], "")
        elif stop["site_key"] not in sites:
            sites[stop["site_key"]] = _site_contacts(session, stop["site_key"])
        stop["site_contact"] = sites.get(stop["site_key"], "")
    return campaign, plan, days


def _latin(text: object) -> str:
    # The PDF core fonts hold Latin-1, enough for Indonesian; the mask's bullet and any
    # stray symbol become plain stand-ins, never an error.
    return str(text if text is not None else "").replace("•", "*").replace("–", "-").encode(
        "latin-1", "replace").decode("latin-1")


# (header, width in mm) on portrait A4: 190 mm between the margins.
STOP_COLUMNS = (("No", 9), ("Jam", 22), ("Tempat / alamat", 58), ("Orang (NIK disamarkan)", 63),
                ("Kontak", 38))


def _route_page(pdf: FPDF, campaign: Campaign, plan: PlanVersion, day: str,
                route: dict[str, Any]) -> None:
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 13)
    pdf.cell(0, 7, _latin(f"Lembar kerja {route['team']} - {long_date(date.fromisoformat(day))}"),
             new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9)
    people = sum(len(stop["people"]) for stop in route["stops"])
    pdf.multi_cell(0, 5, _latin(
        f"Kampanye: {campaign.name} (#{campaign.id}), rencana versi {plan.version}. "
        f"Berangkat {route['leaves']}, kembali {route['returns']}, {route['km']} km, "
        f"{len(route['stops'])} perhentian, {people} orang."), new_x="LMARGIN", new_y="NEXT")
    with pdf.table(col_widths=tuple(width for _, width in STOP_COLUMNS), text_align="LEFT",
                   line_height=5) as table:
        header = table.row()
        for title, _ in STOP_COLUMNS:
            header.cell(title)
        for stop in route["stops"]:
            names = "\n".join(f"{person['name']} ({person['nik'] or '-'})"
                              for person in stop["people"])
            if stop["kind"] == str(p.StopKind.HOME):
                contact = "\n".join(filter(None, [
                    *(person.get("guardian") for person in stop["people"]),
                    *(person["contact"] for person in stop["people"])])) or "-"
                place = "\n".join([KIND_WORDS[stop["kind"]], stop["place"],
                                   *{person["address"] for person in stop["people"]
                                     if person["address"] and person["address"] != stop["place"]}])
            else:
                contact = stop["site_contact"] or "-"
                place = f"{KIND_WORDS.get(stop['kind'], stop['kind'])}\n{stop['place']}"
                names = f"{len(stop['people'])} undangan (daftar di bawah)"
            if stop["escort"]:
                place += f"\nPendamping: {escort_words(stop['escort'])}"
            row = table.row()
            for value in (stop["position"], f"{stop['arrives']}-{stop['departs']}", place,
                          names, contact):
                row.cell(_latin(value))
    for stop in route["stops"]:
        if stop["kind"] != str(p.StopKind.HOME):
            _invitations(pdf, stop)
    _signatures(pdf, route)


def _invitations(pdf: FPDF, stop: dict[str, Any]) -> None:
    pdf.ln(3)
    pdf.set_font("Helvetica", "B", 10)
    pdf.cell(0, 6, _latin(f"Daftar undangan - perhentian {stop['position']}: {stop['place']} "
                          f"({stop['arrives']}-{stop['departs']})"),
             new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9)
    with pdf.table(col_widths=(9, 55, 40, 56, 30), text_align="LEFT", line_height=5) as table:
        header = table.row()
        for title in ("No", "Nama", "NIK", "Alamat", "Hadir / paraf"):
            header.cell(title)
        for number, person in enumerate(stop["people"], start=1):
            row = table.row()
            for value in (number, person["name"], person["nik"] or "-", person["address"], ""):
                row.cell(_latin(value))


def _signatures(pdf: FPDF, route: dict[str, Any]) -> None:
    sessions = [stop for stop in route["stops"] if stop["kind"] != str(p.StopKind.HOME)]
    signers = ["Petugas (ketua tim)"]
    signers += ["Kepala desa" if stop["kind"] == str(p.StopKind.SESSION) else "Kepala sekolah"
                for stop in sessions][:2]
    if pdf.get_y() > 240:
        pdf.add_page()
    pdf.ln(6)
    pdf.set_font("Helvetica", "B", 10)
    pdf.cell(0, 6, "Tanda tangan", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9)
    width = 190 / len(signers)
    for signer in signers:
        pdf.cell(width, 5, _latin(signer), new_x="RIGHT", new_y="TOP")
    pdf.ln(20)
    for _ in signers:
        pdf.cell(width, 5, "(................................)", new_x="RIGHT", new_y="TOP")
    pdf.ln(5)


def day_sheets_pdf(*, session: Session, user: User, campaign_id: int, day: date | None = None,
                   team_id: int | None = None, ip: str | None = None,
                   compress: bool = True) -> Export:
    """One A4 sheet (or more) per team and day: a team's day, a whole day, or the plan."""
    campaign, plan, days = sheet_days(session=session, user=user, campaign_id=campaign_id,
                                      day=day, team_id=team_id)
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_compression(compress)
    pdf.set_title(_latin(f"Lembar kerja {campaign.name}"))
    pdf.set_auto_page_break(auto=True, margin=12)
    routes = 0
    for each in days:
        for route in each["routes"]:
            _route_page(pdf, campaign, plan, each["day"], route)
            routes += 1
    audit.record(session=session, actor=user, action="kampanye.lembar_pdf",
                 object_type="kampanye", object_id=campaign.id, ip=ip,
                 detail={"version": plan.version, "day": day.isoformat() if day else None,
                         "team_id": team_id, "routes": routes})
    stem = f"lembar-kampanye-{campaign.id}-v{plan.version}"
    stem += f"-{day:%Y%m%d}" if day else ""
    stem += f"-tim{team_id}" if team_id else ""
    return Export(bytes(pdf.output()), f"{stem}.pdf", routes)


PLAN_HEADERS = ["Hari", "Tim", "Urutan", "Jenis", "Tempat", "Datang", "Pergi", "Pendamping",
                "Nama", "NIK (disamarkan)", "Kategori", "Alamat", "Kontak", "Hasil"]


def plan_xlsx(*, session: Session, user: User, campaign_id: int,
              ip: str | None = None) -> Export:
    """The plan in one sheet (a row per person and stop) and the left-out with reasons."""
    campaign, plan, teams = access_plan(session=session, user=user, campaign_id=campaign_id)
    if teams is not None:  # the whole plan is the office's: a team reads its day sheets
        raise NotFound(campaign_id)
    days, planned = plans.plan_days(session, plan)
    rows: list[list[Any]] = [PLAN_HEADERS]
    for each in days:
        for route in each["routes"]:
            for stop in route["stops"]:
                for person in stop["people"] or [None]:
                    rows.append([
                        each["day"], route["team"], stop["position"],
                        KIND_WORDS.get(stop["kind"], stop["kind"]), stop["place"],
                        stop["arrives"], stop["departs"], escort_words(stop["escort"]),
                        *([person["name"], person["nik"], person["category"],
                           person["address"], person["contact"], person["outcome_label"] or ""]
                          if person else [""] * 6)])
    left: list[list[Any]] = [["Nama", "Kode desa", "Kategori", "Bobot", "Alasan"]]
    left += [[row.name, row.desa_code, row.category, row.weight, row.reason]
             for row in session.scalars(select(PlanLeftOut).where(
                 PlanLeftOut.plan_id == plan.id).order_by(PlanLeftOut.weight.desc(),
                                                          PlanLeftOut.id))]
    content = xlsx_bytes([("rencana", rows), ("tidak_terjadwal", left)])
    audit.record(session=session, actor=user, action="kampanye.rencana_xlsx",
                 object_type="kampanye", object_id=campaign.id, ip=ip,
                 detail={"version": plan.version, "people": planned, "left_out": len(left) - 1})
    return Export(content, f"rencana-kampanye-{campaign.id}-v{plan.version}.xlsx", planned)


def team_work(*, session: Session, user: User) -> dict[str, Any]:
    """A petugas' own routes: every approved campaign their team works in, day by day."""
    found: list[dict[str, Any]] = []
    if user.role != Role.PETUGAS or not user.scope_team:
        return {"team": None, "campaigns": found}
    team = session.scalar(select(Team).where(Team.name == user.scope_team))
    if team is None:
        return {"team": user.scope_team, "campaigns": found}
    for campaign in session.scalars(select(Campaign).where(Campaign.status == "approved")
                                    .order_by(Campaign.starts, Campaign.id)):
        if team.id not in resources.ids(campaign.team_ids):
            continue
        plan = plans.current_plan(session=session, campaign=campaign)
        if plan is None:
            continue
        days, planned = plans.plan_days(session, plan, team_ids={team.id})
        if not days:
            continue
        href = f"/kampanye/{campaign.id}/lembar.pdf"
        for each in days:
            each["label"] = long_date(date.fromisoformat(each["day"]))
            each["sheet_href"] = f"{href}?hari={each['day']}&tim={team.id}"
            for route in each["routes"]:
                for stop in route["stops"]:
                    stop["escort_words"] = escort_words(stop["escort"])
        found.append({"id": campaign.id, "name": campaign.name, "version": plan.version,
                      "people": planned, "sheets_href": href, "days": days})
    return {"team": team.name, "team_id": team.id, "campaigns": found}

