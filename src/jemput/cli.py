"""The `jemput` command: one Typer sub-app per domain, mounted here."""

from __future__ import annotations

import typer

from jemput import domains, migrate
from jemput.auth.audit_cli import audit_app
from jemput.auth.cli import users_app
from jemput.backup.cli import app as backup_app
from jemput.backup.cli import restore_command
from jemput.config import settings_problem
from jemput.demo.cli import app as demo_app
from jemput.jobs.cli import app as jobs_app
from jemput.ops.cli import check_command, move_command
from jemput.outreach.cli import app as campaigns_app
from jemput.outreach.cli import simulate_command
from jemput.planning.cli import app as plan_app
from jemput.regions.cli import app as regions_app
from jemput.reports.cli import coverage_command
from jemput.residents.cli import app as residents_app
from jemput.rosters.cli import app as rosters_app
from jemput.schools.cli import app as schools_app
from jemput.targets.cli import app as targets_app
from jemput.vulnerable.cli import app as vulnerable_app

app = typer.Typer(
    name="jemput",
    help="Jemput: jemput bola perekaman KTP-el untuk Disdukcapil kabupaten.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,  # locals may hold NIKs
)
domains.connect()  # every command that imports records coverage snapshots
db_app = typer.Typer(help="Skema basis data (migrasi Alembic).", no_args_is_help=True)


@db_app.command("upgrade")
def db_upgrade(revision: str = typer.Argument("head", help="Revisi tujuan.")) -> None:
    """Jalankan migrasi sampai revisi tujuan (bawaan: terbaru)."""
    migrate.upgrade(revision=revision)
    typer.echo("Skema basis data mutakhir.")


db_app.command("pindah")(move_command)
db_app.command("move", hidden=True)(move_command)  # English alias
CHECK_COMMANDS = {"check", "doctor"}


@app.callback()
def check_settings(ctx: typer.Context) -> None:
    """Jemput: jemput bola perekaman KTP-el untuk Disdukcapil kabupaten."""
    # Every command reads the settings: refuse unusable ones with the reason, once,
    # instead of a traceback from whichever command touched them first. `jemput check`
    # reports them with everything else.
    if ctx.invoked_subcommand in CHECK_COMMANDS:
        return
    problem = settings_problem()
    if problem:
        typer.secho(problem, err=True, fg="red")
        raise typer.Exit(2)


app.add_typer(db_app, name="db")
app.add_typer(regions_app, name="regions")
app.add_typer(residents_app, name="residents")
app.add_typer(demo_app, name="demo")
app.add_typer(jobs_app, name="jobs")
app.add_typer(schools_app, name="schools")
app.add_typer(rosters_app, name="rosters")
app.add_typer(vulnerable_app, name="vulnerable")
app.command("coverage")(coverage_command)
app.add_typer(users_app, name="users")
app.add_typer(audit_app, name="audit")
app.add_typer(targets_app, name="targets")
app.add_typer(campaigns_app, name="campaigns")
app.add_typer(plan_app, name="plan")
app.command("simulate")(simulate_command)
app.command("check")(check_command)
app.command("doctor", hidden=True)(check_command)  # the name other tools use
app.add_typer(backup_app, name="backup")
app.command("restore")(restore_command)


def _refuse_a_newer_database() -> None:
    # A database upgraded by a newer Jemput has tables and columns this code does not
    # know; serving it could write rows the newer code reads wrongly. An older schema is
    # left to /readyz and `jemput db upgrade` (the app starts before its first migration).
    from jemput import db, migrate
    from jemput.config import get_settings

    with db.get_engine(get_settings().database_url).connect() as connection:
        state = migrate.schema_state(connection)
    if state == "ahead":
        typer.secho("Basis data ini sudah dinaikkan oleh Jemput versi yang lebih baru; versi ini "
                    "tidak melayaninya. Pasang versi itu, atau pulihkan cadangan dari sebelum "
                    "pemutakhiran.", fg="red", err=True)
        raise typer.Exit(1)


@app.command("serve")
def serve_command(
    host: str = typer.Option("127.0.0.1", "--host", help="Alamat yang didengarkan."),
    port: int = typer.Option(8000, "--port", help="Port yang didengarkan."),
    workers: int = typer.Option(
        None, "--workers", min=1, max=64,
        help="Jumlah proses pekerja (bawaan: jumlah inti prosesor, paling banyak 4)."),
    grace: float = typer.Option(
        10.0, "--grace", min=0, max=600,
        help="Detik untuk menyelesaikan permintaan yang sedang berjalan saat dihentikan "
             "(SIGTERM); sesudahnya permintaan itu ditinggalkan dan server keluar."),
) -> None:
    """Jalankan server web Jemput (halaman dan API JSON)."""
    from jemput.serving import default_workers, serve  # the web stack loads only when serving

    _refuse_a_newer_database()
    shown = "127.0.0.1" if host in {"0.0.0.0", "::"} else host  # noqa: S104
    typer.secho(f"Jemput siap: buka http://{shown}:{port}/ di peramban (masuk di /masuk).",
                fg="green")
    serve(host=host, port=port, workers=workers or default_workers(), grace=grace)


if __name__ == "__main__":
    app()
