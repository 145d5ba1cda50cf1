"""`jemput users`: accounts and API tokens (`jemput audit` lives in audit_cli.py)."""

from __future__ import annotations

import getpass
import sys
from datetime import timedelta
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from jemput.auth import passwords, service, sessions, throttle
from jemput.auth.access import NotFound
from jemput.auth.models import Role, now_utc
from jemput.db import unit_of_work

users_app = typer.Typer(help="Pengguna, peran, dan token API.", no_args_is_help=True)
token_app = typer.Typer(help="Token API untuk perangkat dan skrip.", no_args_is_help=True)
users_app.add_typer(token_app, name="token")


def _actor() -> str:
    # CLI changes are made by whoever holds the server's shell; name that account.
    return f"cli:{getpass.getuser()}"


def _fail(message: str) -> typer.Exit:
    typer.secho(f"Gagal: {message}", fg="red", err=True)
    return typer.Exit(1)


def _read_password(password_stdin: bool) -> str:
    if password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return str(typer.prompt("Kata sandi", hide_input=True, confirmation_prompt=True))


@users_app.command("create")
def create_command(
    username: Annotated[str, typer.Argument(help="Nama pengguna (huruf kecil).")],
    role: Annotated[Role, typer.Option("--role", help="Peran pengguna.")],
    scope: str | None = typer.Option(None, "--scope", help="Kode wilayah, mis. 33.06.01.2001."),
    institution: str | None = typer.Option(None, "--institution", help="Kode lembaga (sekolah)."),
    team: str | None = typer.Option(None, "--team", help="Nama tim (petugas)."),
    full_name: str = typer.Option("", "--full-name", help="Nama lengkap."),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Baca kata sandi dari stdin (satu baris)."
    ),
) -> None:
    """Buat pengguna baru; kata sandi diminta dua kali."""
    password = _read_password(password_stdin)
    try:
        with unit_of_work() as session:
            user = service.create_user(
                session=session,
                username=username,
                full_name=full_name,
                role=role.value,
                password=password,
                scope_region=scope,
                scope_institution=institution,
                scope_team=team,
                actor=_actor(),
            )
            name = user.username
    except (service.UserError, passwords.PasswordPolicyError) as error:
        raise _fail(str(error)) from None
    typer.echo(f"Pengguna {name} ({role.value}) dibuat.")


@users_app.command("disable")
def disable_command(username: str = typer.Argument(..., help="Nama pengguna.")) -> None:
    """Nonaktifkan pengguna dan akhiri semua sesinya."""
    try:
        with unit_of_work() as session:
            user = service.get_user_by_username(session=session, username=username)
            service.disable_user(session=session, user=user, actor=_actor())
    except NotFound:
        raise _fail(f"pengguna {username} tidak ditemukan.") from None
    typer.echo(f"Pengguna {username} dinonaktifkan.")


@users_app.command("reset-password")
def reset_password_command(
    username: str = typer.Argument(..., help="Nama pengguna."),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Baca kata sandi dari stdin (satu baris)."
    ),
) -> None:
    """Atur kata sandi baru, buka kunci, dan akhiri semua sesi pengguna."""
    password = _read_password(password_stdin)
    try:
        with unit_of_work() as session:
            user = service.get_user_by_username(session=session, username=username)
            service.set_password(session=session, user=user, password=password, actor=_actor())
    except NotFound:
        raise _fail(f"pengguna {username} tidak ditemukan.") from None
    except passwords.PasswordPolicyError as error:
        raise _fail(str(error)) from None
    typer.echo(f"Kata sandi {username} diganti.")


@users_app.command("list")
def list_command() -> None:
    """Tampilkan semua pengguna."""
    table = Table("ID", "Nama pengguna", "Nama", "Peran", "Lingkup", "Status")
    with unit_of_work() as session:
        for user in service.list_users(session=session):
            scope = " ".join(
                part
                for part in (user.scope_region, user.scope_institution, user.scope_team)
                if part
            )
            status = "aktif" if user.is_active else "nonaktif"
            table.add_row(str(user.id), user.username, user.full_name, user.role, scope, status)
    Console().print(table)


@users_app.command("attempts")
def attempts_command(
    username: str | None = typer.Option(None, "--username", help="Saring menurut nama."),
    ip: str | None = typer.Option(None, "--ip", help="Saring menurut alamat IP."),
    limit: int = typer.Option(50, "--limit", help="Jumlah percobaan terbaru."),
    purge_days: int | None = typer.Option(
        None, "--purge-older-than", min=1, help="Hapus dulu catatan yang lebih tua (hari)."
    ),
) -> None:
    """Tampilkan percobaan masuk terbaru (berhasil, gagal, ditahan)."""
    table = Table("Waktu (UTC)", "Nama pengguna", "IP", "Hasil", title="Percobaan masuk")
    with unit_of_work() as session:
        if purge_days is not None:
            cutoff = now_utc() - timedelta(days=purge_days)
            purged = throttle.purge_attempts(session=session, before=cutoff)
            typer.echo(f"{purged} catatan percobaan masuk sebelum {cutoff:%Y-%m-%d} dihapus.")
        rows = throttle.list_attempts(session=session, username=username, ip=ip, limit=limit)
        for row in rows:
            table.add_row(
                row.at.strftime("%Y-%m-%d %H:%M:%S"), row.username, row.ip, row.outcome
            )
    Console(soft_wrap=True).print(table)


@users_app.command("create-demo")
def create_demo_command(
    reset_passwords: Annotated[bool, typer.Option(
        "--reset-passwords", help="Beri kata sandi baru juga kepada pengguna demo yang sudah ada."
    )] = False,
) -> None:
    """Buat satu pengguna demo per peran di Kabupaten Purworejo (33.06)."""
    with unit_of_work() as session:
        accounts = service.create_demo_users(
            session=session, actor=_actor(), reset_passwords=reset_passwords
        )
    # Passwords go to this terminal only, never to a log or a file.
    table = Table("Nama pengguna", "Peran", title="Pengguna demo")
    # A wrapped password is a wrong password when typed back.
    table.add_column("Kata sandi", no_wrap=True)
    for account in accounts:
        table.add_row(account.username, account.role, account.password or "sudah ada")
    Console(soft_wrap=True).print(table)


@token_app.command("create")
def token_create_command(
    username: str = typer.Argument(..., help="Pemilik token."),
    name: str = typer.Option(..., "--name", help="Nama perangkat atau skrip."),
) -> None:
    """Buat token API; token ditampilkan sekali saja."""
    try:
        with unit_of_work() as session:
            user = service.get_user_by_username(session=session, username=username)
            plaintext, row = sessions.create_token(
                session=session, user=user, name=name, actor=_actor()
            )
            token_id = row.id
    except NotFound:
        raise _fail(f"pengguna {username} tidak ditemukan.") from None
    except service.UserError as error:
        raise _fail(str(error)) from None
    typer.echo(
        f"Token #{token_id} ({name}) untuk {username}. Simpan sekarang; tidak akan "
        "ditampilkan lagi:"
    )
    typer.echo(plaintext)


@token_app.command("revoke")
def token_revoke_command(token_id: int = typer.Argument(..., help="ID token.")) -> None:
    """Cabut token API."""
    try:
        with unit_of_work() as session:
            token = sessions.get_token(session=session, token_id=token_id)
            sessions.revoke_token(session=session, token=token, actor=_actor())
    except NotFound:
        raise _fail(f"token #{token_id} tidak ditemukan.") from None
    typer.echo(f"Token #{token_id} dicabut.")
