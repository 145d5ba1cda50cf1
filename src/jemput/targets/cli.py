"""`jemput targets`: build target lists, show them, refresh them against the registry."""

from __future__ import annotations

import getpass
from typing import Annotated

import typer
from sqlalchemy import func, select

from jemput.auth import audit
from jemput.auth.access import Forbidden, NotFound
from jemput.auth.models import User
from jemput.db import unit_of_work
from jemput.targets import rules as rule_registry
from jemput.targets import service, states
from jemput.targets.models import TargetList, TargetMember

app = typer.Typer(help="Daftar sasaran: siapa yang harus dijangkau, mengapa, oleh siapa.",
                  no_args_is_help=True)


@app.command("create")
def create_command(
    rule: Annotated[str, typer.Option("--rule", help=(
        f"Aturan: {', '.join(rule_registry.RULES)}, dan dari daftar siswa/pemilih: "
        "siswa-16, pemilih-belum-rekam, luar-sekolah."))],
    area: Annotated[str, typer.Option("--area", help="Kode wilayah (kabupaten/kecamatan/desa).")],
    name: Annotated[str, typer.Option("--name", help="Nama daftar.")],
    owner: Annotated[str, typer.Option(
        "--owner", help="Pengguna operator pemilik daftar (dalam wilayahnya).")],
    before: Annotated[str | None, typer.Option(
        "--before", help="pemula-sebelum: tanggal umur 17 (YYYY-MM-DD), mis. hari pemilu.")] = None,
    npsn: Annotated[str | None, typer.Option("--npsn", help="NPSN sekolah (opsional).")] = None,
    on: Annotated[str | None, typer.Option(
        "--date", help="siswa-16, luar-sekolah: tanggal sesi (YYYY-MM-DD).")] = None,
    tps: Annotated[str | None, typer.Option(
        "--tps", help="pemilih-belum-rekam, belum-padan: nomor TPS (opsional).")] = None,
    kind: Annotated[str | None, typer.Option(
        "--kind", help="belum-padan: dpt, sekolah, dapodik atau pesantren (opsional).")] = None,
) -> None:
    """Buat daftar sasaran dan isi dari registri."""
    given = {"before": before, "date": on, "tps": tps, "kind": kind}
    params = {key: value for key, value in given.items() if value}
    try:
        with unit_of_work() as session:
            user = session.scalar(select(User).where(User.username == owner))
            if user is None:
                raise NotFound(owner)
            target = service.create_list(session=session, user=user, name=name, rule=rule,
                                         params=params, area_code=area, institution_npsn=npsn)
            count = session.scalar(select(func.count()).where(
                TargetMember.list_id == target.id)) or 0
            list_id = target.id
    except rule_registry.RuleError as error:
        typer.secho(f"Gagal: {error}.", fg="red", err=True)
        raise typer.Exit(1) from None
    except (NotFound, Forbidden):
        typer.secho(f"Gagal: pengguna {owner!r} tidak ada, bukan operator, atau wilayah "
                    f"{area!r} di luar wilayahnya.", fg="red", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"Daftar #{list_id} '{name}' dibuat: {count} orang.")


@app.command("list")
def list_command() -> None:
    """Tampilkan semua daftar sasaran dan jumlah anggota per status."""
    with unit_of_work() as session:
        targets = list(session.scalars(select(TargetList).order_by(TargetList.id)))
        counts: dict[int, dict[str, int]] = {}
        for list_id, state, count in session.execute(
                select(TargetMember.list_id, TargetMember.state, func.count())
                .group_by(TargetMember.list_id, TargetMember.state)):
            counts.setdefault(list_id, {})[state] = int(count)
        if not targets:
            typer.echo("Belum ada daftar sasaran.")
        for target in targets:
            mine = counts.get(target.id, {})
            shown = ", ".join(f"{states.label(s)} {mine[s]}" for s in states.STATES if s in mine)
            typer.echo(f"#{target.id}\t{target.name}\t{target.rule}\t{target.area_code}\t"
                       f"{shown or '0'}")


@app.command("refresh")
def refresh_command(
    list_id: Annotated[int | None, typer.Argument(help="Nomor daftar; bawaan: semua.")] = None,
) -> None:
    """Perbarui daftar sasaran dengan registri terkini (anggota baru masuk, yang selesai keluar)."""
    actor = f"cli:{getpass.getuser()}"[:60]
    with unit_of_work() as session:
        query = select(TargetList).order_by(TargetList.id)
        if list_id is not None:
            query = query.where(TargetList.id == list_id)
        targets = list(session.scalars(query))
        if list_id is not None and not targets:
            typer.secho(f"Gagal: daftar #{list_id} tidak ada.", fg="red", err=True)
            raise typer.Exit(1)
        on = service.data_date(session=session)
        for target in targets:
            result = service.refresh_list(session=session, target=target, actor=None, on=on,
                                          actor_name=actor)
            typer.echo(f"#{target.id} {target.name}: {result.joined} masuk, {result.left} "
                       f"keluar, {result.rejoined} kembali.")
        audit.record(session=session, actor=actor, action="sasaran.perbarui",
                     object_type="sasaran", object_id=list_id,
                     detail={"daftar": [t.id for t in targets]})
