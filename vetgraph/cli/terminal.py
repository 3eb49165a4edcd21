"""Talking to the terminal: the progress display on stderr, and answers on stdout
that end quietly when the reader closes the pipe (`| head`)."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click


@contextmanager
def progress(ctx: click.Context) -> Iterator[Callable[[str], None]]:
    """Show the current step on a terminal; stay silent when piped or with --quiet."""
    from rich.console import Console

    console = Console(stderr=True)
    if ctx.obj.get("quiet") or not console.is_terminal:
        yield lambda _label: None
        return
    with console.status("") as status:
        yield lambda label: status.update(f"[bold]{label}[/bold]")


def write_stdout(ctx: click.Context, data: bytes) -> None:
    """Write a finished answer to stdout; a closed pipe (`| head`) ends quietly, exit 0."""
    try:
        click.echo(data, nl=False)  # bytes go to the binary stream untouched
    except BrokenPipeError:  # the reader stopped early (| head): not an error
        _silence_stdout()
        ctx.exit(0)


def stream_stdout(write: Callable[[Any], None]) -> None:
    """Write to stdout as bytes; a closed pipe (`| head`) ends quietly."""
    out = sys.stdout.buffer
    try:
        write(out)
        out.flush()
    except BrokenPipeError:
        # keep Python from complaining when it flushes stdout at exit
        with contextlib.suppress(OSError, ValueError):
            _silence_stdout()


def _silence_stdout() -> None:
    # Python flushes stdout again at exit; point it at /dev/null so that is silent.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
