"""The progress bar of long commands (imports, routing runs): one line on stderr with the stage,
the bar, the percentage and the time elapsed."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def progress_bar(title: str) -> Iterator[Callable[[int, str], None]]:
    """A ``progress(percent, stage)`` callback drawing a bar on stderr while the block runs."""
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f} %"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=False,
    ) as bar:
        task_id = bar.add_task(title, total=100)

        def progress(percent: int, stage: str) -> None:
            bar.update(task_id, completed=percent, description=stage[:48].ljust(48))

        yield progress
