"""``vetgraph cache`` (the stores your --input files are kept in) and ``vetgraph load``
(a store on disk built on purpose, for ``--store DIR``)."""

from __future__ import annotations

import time
from pathlib import Path

import click

from vetgraph.cli.options import common_options


@click.group("cache", invoke_without_command=True)
@common_options
@click.pass_context
def cache(ctx: click.Context) -> None:
    """List the stores your --input files are kept in (or: vetgraph cache clear).

    The first command that reads a file (1 MB or more in all) with --input loads it into an
    Oxigraph store in the cache folder ($VETGRAPH_CACHE_DIR, else your user cache folder);
    later commands on the same unchanged files reopen that store at once. A changed file
    is loaded again; --no-cache reads the files in memory, as before.
    """
    if ctx.invoked_subcommand is not None:
        return
    from vetgraph.graph.cache import cache_dir, list_stores

    stores = list_stores()
    if not stores:
        click.echo(f"The cache is empty ({cache_dir()}).")
        return
    total = sum(s.bytes for s in stores)
    click.echo(f"{_count(len(stores))}, {_size(total)}, in {cache_dir()}:")
    now = time.time()
    for s in stores:
        inputs = s.inputs[0] if len(s.inputs) == 1 else f"{s.inputs[0]} +{len(s.inputs) - 1}"
        click.echo(
            f"  {_size(s.bytes):>9}  {_age(now - s.created):>8}  {s.state:<7}  {inputs} "
            f"({s.quads:,} quads)"
        )


@cache.command("clear")
@common_options
@click.pass_context
def clear(ctx: click.Context) -> None:
    """Delete every store in the cache (they are built again when needed)."""
    from vetgraph.graph.cache import cache_dir
    from vetgraph.graph.cache import clear as clear_cache

    count, freed = clear_cache()
    if not ctx.obj.get("quiet"):
        click.echo(f"Removed {_count(count)} ({_size(freed)}) from {cache_dir()}.")


@click.command("load")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--store",
    "store",
    required=True,
    metavar="DIR",
    type=click.Path(path_type=Path, file_okay=False),
    help="The folder to build the store in (new or empty).",
)
@common_options
@click.pass_context
def load(ctx: click.Context, files: tuple[Path, ...], store: Path) -> None:
    """Load FILES (or folders; the bundled data without any) into a store on disk.

    Uses Oxigraph's bulk loader, with the ontology and the claim index as every command
    has them; then --store DIR on query, validate, stats, export, viz, path, analyze,
    build, push and serve opens the store at once instead of reading files. A store being
    written is refused by the others; a failure leaves no folder behind.
    """
    from vetgraph.cli.terminal import progress
    from vetgraph.graph import build, resources
    from vetgraph.graph.disk import create_store

    data = build.expand_inputs(files) if files else resources.data_files()
    started = time.perf_counter()
    with progress(ctx) as step:
        step(f"Loading {len(data)} files into {store}")
        meta = create_store(store, data)
    if not ctx.obj.get("quiet"):
        click.echo(
            f"Loaded {meta['quads']:,} quads from {len(data)} files into {store} "
            f"in {time.perf_counter() - started:.1f} s"
        )


def _count(n: int) -> str:
    return f"{n} store" if n == 1 else f"{n} stores"


def _size(n: float) -> str:
    for unit in ("B", "kB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000
    raise AssertionError("unreachable")


def _age(seconds: float) -> str:
    for unit, length in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= length:
            return f"{seconds / length:.0f} {unit} ago"
    return "just now"
