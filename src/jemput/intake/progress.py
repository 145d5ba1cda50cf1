"""The progress bar an import shows on the terminal: bytes of the file, rows read."""

from __future__ import annotations

from collections.abc import Callable, Iterator
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
