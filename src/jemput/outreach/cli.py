"""`jemput campaigns`: outreach settings, campaigns, their plans, outcomes and replans."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from sqlalchemy import select
from sqlalchemy.orm import Session

from jemput.auth.access import Forbidden, NotFound
from jemput.auth.models import User
from jemput.db import unit_of_work
from jemput.outreach import campaigns, plans, resources, settings_file, sheets
from jemput.outreach.resources import ResourceError
from jemput.targets.rules import RuleError
from jemput.targets.states import InvalidMove

app = typer.Typer(help="Kampanye jemput bola: sumber daya, rencana, hasil, rancang ulang.",
                  no_args_is_help=True)
As = Annotated[str, typer.Option("--as", help="Pengguna yang bertindak (operator/kepala).")]


def _user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    if user is None or not user.is_active:
        raise NotFound(username)
    return user


def _fail(message: str) -> None:
    typer.secho(f"Gagal: {message}", fg="red", err=True)
    raise typer.Exit(1)


def _date(value: str, what: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        _fail(f"{what}: tanggal tidak sah {value!r} (tulis YYYY-MM-DD).")
        raise  # unreachable: _fail exits


def _run(action: Callable[[Session, User], Any], username: str) -> Any:
    try:
        with unit_of_work() as session:
            return action(session, _user(session, username))
    except (ResourceError, InvalidMove) as error:
        _fail(f"{error}.")
    except (NotFound, Forbidden):
        _fail(f"pengguna {username!r} tidak ada atau tidak berhak, atau data di luar wilayahnya.")


@app.command("load-settings")
def load_settings_command(
    path: Annotated[Path, typer.Argument(help="Berkas TOML (contoh: demo/data/outreach.toml).")]
    = settings_file.DEMO_FILE,
    username: As = "operator",
    if_empty: Annotated[bool, typer.Option(
        "--if-empty", help="Lewati bila wilayah berkas sudah punya kalender, program atau tim "
        "(make run memanggilnya setiap kali).")] = False,
) -> None:
    """Muat kalender, hari libur, program dan tim dari TOML (semua atau tidak sama sekali)."""

    def load(session: Session, user: User) -> dict[str, int] | None:
        if if_empty and settings_file.configured(session=session, user=user, path=path):
            return None
        return settings_file.load_file(session=session, user=user, path=path)

    counts = _run(load, username)
    if counts is None:
        typer.echo("Pengaturan kampanye sudah ada; berkas dilewati.")
        return
    typer.echo("Pengaturan dimuat: " + ", ".join(f"{v} {k}" for k, v in counts.items()) + ".")


@app.command("import-counts")
def import_counts_command(
    path: Annotated[Path, typer.Argument(help="CSV `date,count`: jumlah layanan kantor per hari.")],
    area: Annotated[str, typer.Option("--area", help="Kode wilayah kantor.")],
    username: As = "operator",
) -> None:
    """Impor jumlah layanan harian kantor (dasar aturan antrean)."""
    text = path.read_text(encoding="utf-8-sig")
    count = _run(lambda s, u: resources.import_counts(session=s, user=u, area_code=area,
                                                      text=text), username)
    typer.echo(f"{count} hari tersimpan.")


@app.command("create")
def create_command(
    name: Annotated[str, typer.Option("--name", help="Nama kampanye.")],
    area: Annotated[str, typer.Option("--area", help="Kode kecamatan atau desa.")],
    starts: Annotated[str, typer.Option("--starts", help="Mulai (YYYY-MM-DD).")],
    ends: Annotated[str, typer.Option("--ends", help="Selesai (YYYY-MM-DD).")],
    programme: Annotated[list[int], typer.Option("--programme", help="Id program (ulang).")],
    team: Annotated[list[int], typer.Option("--team", help="Id tim (ulang).")],
    target_list: Annotated[list[int], typer.Option("--list", help="Id daftar sasaran (ulang).")],
    weights: Annotated[str | None, typer.Option(
        "--weights", help='Bobot prioritas JSON, mis. {"vulnerable": 4}.')] = None,
    username: As = "operator",
) -> None:
    """Buat kampanye."""
    start, end = _date(starts, "--starts"), _date(ends, "--ends")
    try:
        given = json.loads(weights) if weights else None
    except json.JSONDecodeError:
        _fail(f"--weights: JSON tidak sah {weights!r}.")
    campaign_id = _run(lambda s, u: campaigns.create_campaign(
        session=s, user=u, name=name, area_code=area, starts=start, ends=end,
        programme_ids=programme, team_ids=team, list_ids=target_list, weights=given).id,
        username)
    typer.echo(f"Kampanye #{campaign_id} '{name}' dibuat.")


@app.command("list")
def list_command(username: As = "operator") -> None:
    """Tampilkan kampanye yang terlihat oleh pengguna."""
    rows = _run(lambda s, u: [plans.campaign_summary(c) for c in campaigns.visible_campaigns(
        session=s, user=u)], username)
    for row in rows:
        typer.echo(f"#{row['id']}\t{row['name']}\t{row['area_code']}\t{row['starts']}–"
                   f"{row['ends']}\t{row['status']}")
    if not rows:
        typer.echo("Belum ada kampanye.")


def _print_plan(data: dict) -> None:
    plan = data["plan"]
    typer.echo(f"Rencana v{plan['version']} ({plan['solver']}, seed {plan['seed']}): "
               f"{plan['people_planned']} orang terjadwal, {plan['people_left_out']} belum "
               f"masuk; bobot terlayani {plan['served_weight']}/{plan['total_weight']}.")
    for day in plan["days"]:
        for route in day["routes"]:
            typer.echo(f"{day['day']} {route['team']}: {route['leaves']}–{route['returns']}, "
                       f"{len(route['stops'])} singgahan, {route['km']} km")


Seconds = Annotated[float, typer.Option("--seconds", help="Batas waktu pencarian (detik).")]
Iterations = Annotated[int | None, typer.Option(
    "--iterations", help="Batas iterasi (hasil tetap untuk seed yang sama).")]
Seed = Annotated[int, typer.Option("--seed", help="Seed pencarian.")]


@app.command("plan")
def plan_command(campaign_id: int, username: As = "operator", seed: Seed = 1,
                 seconds: Seconds = 10.0, iterations: Iterations = None) -> None:
    """Susun rencana kampanye (versi baru)."""
    data = _run(lambda s, u: (plans.plan_campaign(
        session=s, user=u, campaign_id=campaign_id, seed=seed, max_seconds=seconds,
        max_iterations=iterations), plans.plan_context(session=s, user=u,
                                                       campaign_id=campaign_id))[1], username)
    _print_plan(data)


@app.command("replan")
def replan_command(campaign_id: int, username: As = "operator", seed: Seed = 1,
                   seconds: Seconds = 10.0, iterations: Iterations = None,
                   through: Annotated[str | None, typer.Option(
                       "--through", help="Pertahankan hari sampai tanggal ini.")] = None) -> None:
    """Rancang ulang: pertahankan yang sudah dikerjakan, jadwalkan sisanya."""
    until = _date(through, "--through") if through else None
    data = _run(lambda s, u: (plans.replan(
        session=s, user=u, campaign_id=campaign_id, seed=seed, max_seconds=seconds,
        max_iterations=iterations, through=until), plans.plan_context(
            session=s, user=u, campaign_id=campaign_id))[1], username)
    _print_plan(data)


@app.command("show")
def show_command(campaign_id: int, username: As = "operator",
                 as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Tampilkan rencana terkini sebuah kampanye."""
    data = _run(lambda s, u: plans.plan_context(session=s, user=u, campaign_id=campaign_id),
                username)
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=1))
    elif data["plan"] is None:
        typer.echo("Kampanye belum punya rencana.")
    else:
        _print_plan(data)


@app.command("outcome")
def outcome_command(campaign_id: int, entry_id: int, outcome: str, username: As = "operator",
                    note: Annotated[str | None, typer.Option("--note")] = None) -> None:
    """Catat hasil kunjungan satu orang di rencana terkini."""
    name = _run(lambda s, u: plans.record_outcome(session=s, user=u, campaign_id=campaign_id,
                                                  entry_id=entry_id, outcome=outcome,
                                                  note=note).name, username)
    typer.echo(f"Hasil {name}: {plans.OUTCOME_LABELS[outcome][0]}.")


def simulate_command(
    area: Annotated[str, typer.Option("--area", help="Kode kecamatan atau kabupaten.")]
    = "33.06.01",
    seed: Seed = 1,
    iterations: Annotated[int | None, typer.Option(
        "--iterations", help="Batas iterasi solver per hari (hasil tetap untuk seed).")] = 500,
    seconds: Annotated[float, typer.Option(
        "--seconds", help="Batas waktu solver per hari (dipakai bila --iterations 0).")] = 5.0,
    weeks: Annotated[int, typer.Option("--weeks", min=1, max=13,
                                       help="Panjang periode kampanye (minggu).")] = 4,
    starts: Annotated[str | None, typer.Option(
        "--starts", help="Mulai (YYYY-MM-DD); bawaan: Senin setelah tanggal data.")] = None,
    max_days: Annotated[int, typer.Option("--max-days", min=1,
                                          help="Hari kerja paling banyak dimainkan.")] = 60,
    as_json: Annotated[bool, typer.Option("--json", help="Keluaran JSON.")] = False,
    username: As = "operator",
) -> None:
    """Simulasikan kampanye (kehadiran, penolakan, waktu tempuh acak dari seed): Jemput
    dibanding cara naif. Registri tidak berubah: semua tulisan di-rollback."""
    from sqlalchemy.orm import Session as OrmSession

    from jemput.db import get_engine
    from jemput.outreach import simulation

    start = _date(starts, "--starts") if starts else None
    budget = iterations or None
    # Lists and campaign are written only to build the problem, then rolled back: the
    # simulation plays the in-memory problem and must leave the registry as it was.
    with OrmSession(get_engine()) as session:
        try:
            problem, first, last, teams, programmes = simulation.build(
                session=session, user=_user(session, username), area_code=area,
                starts=start, weeks=weeks, seed=seed, iterations=budget, seconds=seconds)
        except (ResourceError, RuleError) as error:
            _fail(f"{error}.")
        except (NotFound, Forbidden):
            _fail(f"pengguna {username!r} tidak ada atau tidak berhak, atau wilayah {area!r} "
                  "di luar wilayahnya.")
        finally:
            session.rollback()
    if not problem.people:
        _fail(f"tidak ada sasaran yang dapat direkam di wilayah {area}.")
    report = simulation.run(problem, area_code=area, starts=first, ends=last, teams=teams,
                            programmes=programmes, seed=seed, iterations=budget,
                            seconds=seconds, max_days=max_days)
    if as_json:
        typer.echo(json.dumps(report, ensure_ascii=False, indent=1))
    else:
        typer.echo(simulation.table(report))


@app.command("sheets")
def sheets_command(
    campaign_id: int,
    out: Annotated[Path, typer.Option("--out", help="Berkas keluaran: .pdf (lembar kerja) "
                                      "atau .xlsx (seluruh rencana).")],
    username: As = "operator",
    day: Annotated[str | None, typer.Option("--day", help="Hanya hari ini (YYYY-MM-DD).")]
    = None,
    team: Annotated[int | None, typer.Option("--team", help="Hanya tim ini (id).")] = None,
) -> None:
    """Cetak lembar kerja harian (PDF, A4) atau rencana (XLSX) dari rencana terkini."""
    if out.suffix.lower() not in (".pdf", ".xlsx"):
        _fail(f"--out {out.name!r}: akhiran harus .pdf atau .xlsx.")
    on = _date(day, "--day") if day else None
    if out.suffix.lower() == ".xlsx":
        result = _run(lambda s, u: sheets.plan_xlsx(session=s, user=u,
                                                    campaign_id=campaign_id), username)
    else:
        result = _run(lambda s, u: sheets.day_sheets_pdf(
            session=s, user=u, campaign_id=campaign_id, day=on, team_id=team), username)
    out.write_bytes(result.content)
    typer.echo(f"{out}: {result.rows} {'orang' if out.suffix.lower() == '.xlsx' else 'rute'}.")
