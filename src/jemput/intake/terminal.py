"""What an import shows on the terminal: a progress bar, its counts, its first problems."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from jemput.i18n import format_number
from jemput.intake.errors import Problem

OnProgress = Callable[[int, int, int], None]  # (bytes done, bytes total, rows read)


@contextmanager
def file_progress(*, console: Console, title: str, size: int) -> Iterator[OnProgress]:
    """Show a bar for reading a file of `size` bytes; yield the callback that moves it."""
    columns = [TextColumn("[bold]{task.description}"), BarColumn(), DownloadColumn(),
               TextColumn("{task.fields[rows]:,} baris"), TimeElapsedColumn(),
               TimeRemainingColumn()]
    with Progress(*columns, console=console, transient=False) as progress:
        task = progress.add_task(title, total=size, rows=0)

        def report(done: int, total: int, rows: int) -> None:
            progress.update(task, completed=done, total=total, rows=rows)

        yield report


def print_rejected(out: Console, *, rows_rejected: int, rows_read: int, unchanged: str) -> None:
    """Say that a file with errors was not loaded, and how to load its valid rows."""
    out.print(
        f"[red]Impor dibatalkan:[/] {format_number(rows_rejected)} dari "
        f"{format_number(rows_read)} baris bermasalah. {unchanged}"
    )
    out.print("Perbaiki berkasnya, atau jalankan lagi dengan --accept-valid untuk memuat "
              "baris yang benar saja.")


def print_counts(out: Console, counts: Sequence[tuple[str, int]],
                 first_problems: Sequence[tuple[int, Problem]]) -> None:
    """Print an import's counts, then its first problems (the report has them all)."""
    table = Table(show_header=False)
    for label, value in counts:
        table.add_row(label, format_number(value))
    out.print(table)
    if first_problems:
        problems = Table("Baris", "Kolom", "Nilai", "Keterangan", title="Masalah pertama")
        for line, problem in first_problems[:10]:
            problems.add_row(str(line), problem.column, problem.value[:30],
                             f"{problem.severity}: {problem.reason}")
        out.print(problems)
