"""The commands that put the graph behind SPARQL over HTTP: push (into a remote triple
store) and serve (a local read-only endpoint)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from vetgraph.cli.options import common_options, endpoint_options, inputs_option, load_inputs
from vetgraph.cli.queries import QUERY_TIMEOUT
from vetgraph.cli.terminal import progress
from vetgraph.errors import InputError, VetgraphError


@click.command()
@click.option(
    "--endpoint",
    required=True,
    metavar="URL",
    help="The store's Graph Store endpoint (Oxigraph: .../store; Virtuoso: "
    ".../sparql-graph-crud-auth; Fuseki: .../DATASET/data).",
)
@click.option(
    "--graph",
    metavar="IRI",
    help="Put every triple into this one named graph (flat, like vetgraph.ttl) instead of "
    "keeping vetgraph's named graphs.",
)
@click.option(
    "--update-endpoint",
    metavar="URL",
    help="Where SPARQL Update goes when the store lacks the Graph Store Protocol "
    "(default: --endpoint).",
)
@click.option(
    "--method",
    type=click.Choice(["auto", "gsp", "update"]),
    default="auto",
    show_default=True,
    help="auto: Graph Store Protocol, falling back to SPARQL Update in batches.",
)
@inputs_option
@endpoint_options
@common_options
@click.pass_context
def push(
    ctx: click.Context,
    endpoint: str,
    graph: str | None,
    update_endpoint: str | None,
    method: str,
    inputs: tuple[Path, ...],
    timeout: float,
) -> None:
    """Upload the graph to a triple store, named graphs preserved.

    Uses the SPARQL 1.1 Graph Store HTTP Protocol: each named graph is replaced (PUT), so
    pushing again updates rather than duplicates. Falls back to SPARQL Update in batches.
    Exit 0 on success, 2 on bad input, 3 when the store fails.
    """
    from vetgraph.sparql.endpoint import Endpoint

    store = Endpoint(endpoint, read_timeout=timeout)
    with progress(ctx) as step:
        step("Reading ontology and data")
        kg = load_inputs(inputs)
        report = store.push(
            kg,
            graph=graph,
            update_url=update_endpoint,
            method=method,
            progress=lambda done, total: step(f"Uploading graph {done} of {total}"),
        )
    if not ctx.obj.get("quiet"):
        where = f"into the graph <{graph}>" if graph else f"in {report.graphs} named graphs"
        click.echo(
            f"Pushed {report.triples} triples {where} to {endpoint} "
            f"({report.method}, {report.requests} requests)"
        )


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=7878,
    show_default=True,
    help="Port to listen on (0: any free port).",
)
@click.option(
    "--timeout",
    type=click.IntRange(min=0),
    metavar="SECONDS",
    default=int(QUERY_TIMEOUT),
    show_default=True,
    help="The server cancels a query that runs longer (its answer then ends with an error "
    "message). 0: no limit.",
)
@click.option(
    "--site",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    metavar="DIR",
    help="Serve this build folder (`vetgraph build --out DIR`) as the site instead of "
    "building the site of the served graph into a temporary folder at start.",
)
@inputs_option
@common_options
@click.pass_context
def serve(
    ctx: click.Context,
    host: str,
    port: int,
    timeout: int,
    site: Path | None,
    inputs: tuple[Path, ...],
) -> None:
    """Serve the graph's site and a read-only SPARQL 1.1 Protocol endpoint at /query.

    The site is what `vetgraph build` writes (entity pages, views, the query editor,
    the downloads), built at start into a temporary folder, or --site DIR. Entity IRIs
    answer by content negotiation: GET /id/NAME with Accept: text/turtle gives its Turtle,
    application/ld+json its JSON-LD, a browser its page. /query answers SPARQL (GET and
    POST) with the union of all graphs as the default graph; the project prefixes (vg:,
    vet:, ...) need no PREFIX line; updates get 403. Queries run in the Oxigraph server
    (PyPI `oxigraph`) on a private port. Prints the URLs; Ctrl-C stops it (exit 0).
    """
    import tempfile

    from vetgraph.sparql.server import port_is_free

    if not port_is_free(host, port) and port:
        raise InputError(
            f"port {port} on {host} is in use",
            hint="choose another with --port, or stop what uses it",
        )
    with tempfile.TemporaryDirectory(prefix="vetgraph-serve-") as tmp:
        with progress(ctx) as step:
            step("Reading ontology and data")
            kg = load_inputs(inputs)
            if site is None:
                site = _build_site(kg, Path(tmp) / "site", step)
        _serve(kg, Path(tmp), site, host, port, timeout)


def _build_site(kg: Any, folder: Path, step: Any) -> Path:
    from vetgraph.outputs import write_folder
    from vetgraph.publish.pipeline import served_outputs

    files, left_out = served_outputs(kg, progress=step)
    for name, why in left_out.items():
        click.echo(f"note: the site has no {name} for this graph: {why}", err=True)
    write_folder(folder, files)
    return folder


def _serve(kg: Any, tmp: Path, site: Path, host: str, port: int, timeout: int) -> None:
    import signal
    import sys
    import threading

    from vetgraph.explore.addresses import FOLDERS
    from vetgraph.sparql.front import Front
    from vetgraph.sparql.server import OxigraphServer, free_port, load_store

    location = tmp / "store"
    if kg.location is not None:  # a store on disk (cache, --store): served read-only as is
        from vetgraph.graph.disk import DATA

        location = kg.location / DATA
    else:
        load_store(location, kg.quads())
    upstream = OxigraphServer(
        location, port=free_port(), log=tmp / "oxigraph.log", timeout=timeout or None
    )

    def stop(_signum: int, _frame: Any) -> None:
        raise KeyboardInterrupt

    # Ctrl-C and SIGTERM stop the server; SIGINT too when started in the background
    # (a shell starts background jobs with SIGINT ignored).
    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    front = None
    try:
        upstream.start()
        try:
            front = Front((host, port), site, ("127.0.0.1", upstream.port), list(FOLDERS.values()))
        except OSError as exc:
            raise InputError(
                f"port {port} on {host} is in use ({exc.strerror})",
                hint="choose another with --port, or stop what uses it",
            ) from None
        threading.Thread(target=front.serve_forever, daemon=True).start()
        shown = f"[{host}]" if ":" in host else host
        url = f"http://{shown}:{front.server_address[1]}"
        click.echo(
            f"Serving {len(kg)} triples read-only (default graph: the union of all graphs)\n"
            f"  site:            {url}/\n"
            f"  query editor:    {url}/query.html\n"
            f"  SPARQL endpoint: {url}/query\n"
            "Press Ctrl-C to stop."
        )
        sys.stdout.flush()
        code = upstream.wait()
        raise VetgraphError(f"the Oxigraph server stopped unexpectedly (exit {code})")
    except KeyboardInterrupt:
        click.echo("Stopped.")
    finally:
        if front is not None:
            front.shutdown()
            front.server_close()
        upstream.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
