"""`jemput rosters`: school, pesantren and voter lists, and their links to residents."""

from __future__ import annotations

import typer

from jemput.linkage import cli as linkage_cli

app = typer.Typer(help="Daftar sekolah, pesantren dan pemilih (DPT), dan tautannya ke penduduk.",
                  no_args_is_help=True)
linkage_cli.mount(app)
