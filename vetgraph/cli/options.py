"""The options several commands share (--quiet/--debug after the command, --input with
--no-cache and --store, --timeout for remote endpoints, --param) and reading the graph they
name."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:  # the store imports pyoxigraph: not at `vetgraph --help`
    from vetgraph.graph.store import KnowledgeGraph


def _set_flag(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value:
        ctx.ensure_object(dict)
        root = ctx.find_root()
        root.obj = ctx.obj = {**(root.obj or {}), param.name: True}


def common_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """--quiet and --debug, accepted after the command name as well as before it."""
    func = click.option(
        "-q",
        "--quiet",
        is_flag=True,
        expose_value=False,
        callback=_set_flag,
        help="No progress display and no summary.",
    )(func)
    return click.option(
        "--debug",
        is_flag=True,
        expose_value=False,
        callback=_set_flag,
        help="Show the full traceback when something fails.",
    )(func)


def inputs_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """--input (repeatable), --no-cache and --store DIR: where the graph comes from.

    --no-cache and --store are kept in the context (see load_inputs), so the commands'
    own parameters stay as they are."""
    func = click.option(
        "--store",
        metavar="DIR",
        type=click.Path(path_type=Path, file_okay=False),
        expose_value=False,
        callback=_remember,
        help="Read the store DIR that `vetgraph load FILES --store DIR` built (opened at "
        "once) instead of files.",
    )(func)
    func = click.option(
        "--no-cache",
        is_flag=True,
        expose_value=False,
        callback=_remember,
        help="Read the --input files in memory: neither use nor fill the cache of stores "
        "(see `vetgraph cache`).",
    )(func)
    return _input_option(func)


def _remember(ctx: click.Context, param: click.Parameter, value: Any) -> None:
    ctx.ensure_object(dict)
    ctx.obj[param.name] = value


def _input_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--input",
        "inputs",
        multiple=True,
        type=click.Path(path_type=Path),
        help="Your own RDF file or folder instead of the bundled data (repeatable; "
        ".ttl .trig .nt .nq .rdf .owl .xml .jsonld .n3). The ontology and shapes still apply.",
    )(func)


def endpoint_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """--timeout for remote endpoints (credentials come from the environment)."""
    return click.option(
        "--timeout",
        type=click.FloatRange(min=0.1),
        default=60.0,
        show_default=True,
        help="Seconds to wait for a remote endpoint's answer (connecting: at most 10 s). "
        "Credentials: VETGRAPH_ENDPOINT_USER, VETGRAPH_ENDPOINT_PASSWORD, "
        "VETGRAPH_ENDPOINT_AUTH (auto, basic or digest).",
    )(func)


def parse_params(pairs: tuple[str, ...]) -> dict[str, Any]:
    """--param key=value pairs as a dict; a repeated key gives a list of its values."""
    from vetgraph.errors import QueryError

    params: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise QueryError(
                f"--param {pair!r} is not key=value",
                hint="e.g. --param entity=vg:bruges-communique",
            )
        key = key.strip()
        if key in params:  # a repeated key binds several values
            previous = params[key]
            params[key] = [*(previous if isinstance(previous, list) else [previous]), value]
        else:
            params[key] = value
    return params


def load_inputs(inputs: tuple[Path, ...]) -> KnowledgeGraph:
    """The ontology and the files given with --input (from the cache of stores unless
    --no-cache), the store given with --store, or the bundled data without either."""
    from vetgraph.graph.build import load

    options = click.get_current_context().obj or {}
    return load(
        list(inputs) or None,
        cache=not options.get("no_cache"),
        store=options.get("store"),
        notice=note,
    )


def chosen_store() -> Path | None:
    """The --store given to the current command, if any."""
    store: Path | None = (click.get_current_context().obj or {}).get("store")
    return store


def note(message: str) -> None:
    """One line on stderr about something that did not stop the command (the cache)."""
    click.echo(f"note: {message}", err=True)
