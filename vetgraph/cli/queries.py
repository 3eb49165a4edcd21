"""The commands of the query library: queries (list, show) and query (run one)."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from vetgraph.cli.options import (
    chosen_store,
    common_options,
    inputs_option,
    load_inputs,
    parse_params,
)
from vetgraph.cli.terminal import stream_stdout
from vetgraph.errors import InputError, QueryError

#: Seconds a `vetgraph query` may run before it is stopped (--timeout).
QUERY_TIMEOUT = 30.0
#: Output formats of `vetgraph query` (vetgraph.sparql.results.SOLUTION_FORMATS + GRAPH_FORMATS,
#: written out here so that `vetgraph --help` does not import the query machinery).
QUERY_FORMATS = ("table", "csv", "tsv", "json", "md", "ttl", "nt", "jsonld")
#: The query forms that answer with triples (the others answer with rows or true/false).
_GRAPH_FORMS = ("CONSTRUCT", "DESCRIBE")
_KIND_TITLES = {
    "cq": "Competency questions (queries/cq)",
    "checks": "Checks (queries/checks): zero rows = pass",
    "reports": "Reports (queries/reports)",
}


@click.command("queries")
@click.argument("name", required=False)
@click.option("--kind", type=click.Choice(["cq", "checks", "reports"]), help="List only one kind.")
@common_options
def queries_command(name: str | None, kind: str | None) -> None:
    """List the query library, or show one query: its header, parameters and SPARQL.

    Run one with `vetgraph query NAME [--param key=value]...`.
    """
    from vetgraph.sparql.library import get_query, load_library

    if name:
        click.echo(_describe_query(get_query(name)), nl=False)
        return
    library = load_library(kind)
    width = max(len(q.name) for q in library)
    lines: list[str] = []
    for k in ("cq", "checks", "reports"):
        group = [q for q in library if q.kind == k]
        if not group:
            continue
        lines += [*([""] if lines else []), _KIND_TITLES[k]]
        for q in group:
            params = ", ".join(
                f"{p.name}: {p.type}" + ("" if p.required else f" = {p.default}")
                for p in q.header.params
            )
            lines.append(f"  {q.name:<{width}}  {q.title}" + (f"  [{params}]" if params else ""))
    lines += ["", "Show one: vetgraph queries NAME · run one: vetgraph query NAME --param k=v"]
    click.echo("\n".join(lines))


def _describe_query(q: Any) -> str:
    from vetgraph.graph.namespaces import curie

    h = q.header
    out = [f"{q.name} ({q.kind}): {h.title}"]
    if h.question:
        out.append(f"question: {h.question}")
    out.append(f"description: {h.description}")
    if h.params:
        out.append("parameters:")
        for p in h.params:
            bits = [p.type, *([f"class: {curie(p.cls)}"] if p.cls else [])]
            bits.append("required" if p.required else f"default: {p.default}")
            if p.example:
                bits.append(f"example: {p.example}")
            out.append(f"  {p.name} ({'; '.join(bits)}): {p.description}")
    else:
        out.append("parameters: none")
    out.append(f"shape: {h.shape}")
    if h.note:
        out.append(f"note: {h.note}")
    out.append(f"file: {_shown_path(q.path)}")
    example = " ".join(
        f"--param {p.name}={_shell_quote(p.example or p.default or 'VALUE')}"
        for p in h.params
        if p.required or p.example
    )
    out.append(f"run: vetgraph query {q.name}" + (f" {example}" if example else ""))
    body = "\n".join(line for line in q.text.splitlines() if not line.startswith("#")).strip()
    return "\n".join(out) + "\n\n" + body + "\n"


def _shown_path(path: Path) -> Path:
    """Where the file is, as the user can open it: relative to the current folder when it is
    inside it (a checkout), else in full (an installed copy keeps it in site-packages)."""
    path = path.absolute()
    try:
        return path.relative_to(Path.cwd())
    except (ValueError, OSError):  # elsewhere, or the current folder is gone
        return path


def _shell_quote(value: str) -> str:
    import shlex

    return shlex.quote(value)


@click.command()
@click.argument("name", required=False)
@click.option(
    "--file",
    "query_file",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="Run the SPARQL query in this file (a `# title:` header declares typed parameters).",
)
@click.option("--sparql", "sparql", metavar="TEXT", help="Run this SPARQL query.")
@click.option(
    "-p",
    "--param",
    "params",
    multiple=True,
    metavar="KEY=VALUE",
    help="A parameter (repeatable; a repeated key binds several values). Entities by IRI, "
    "CURIE (vg:...), label or title (any case and accents). Undeclared: a plain literal, or "
    "an IRI if written <...>.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(QUERY_FORMATS),
    help="SELECT: table (default), csv, tsv, json (W3C SPARQL results), md; ASK prints "
    "true/false (json: W3C boolean); CONSTRUCT/DESCRIBE: ttl (default), nt, jsonld.",
)
@inputs_option
@click.option(
    "--endpoint",
    metavar="URL",
    help="Run the query on this remote SPARQL endpoint instead of the embedded graph.",
)
@click.option(
    "--allow-service",
    is_flag=True,
    help="Allow SERVICE clauses (they send parts of the query to other endpoints).",
)
@click.option(
    "--width",
    type=click.IntRange(min=0),
    metavar="N",
    help="The table's width in columns: long values are cut with … so that each row fits "
    "on one line. Default: the terminal's width; in a pipe or a file (-o), every value "
    "whole. 0: every value whole.",
)
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    metavar="N",
    help="At most N rows (SELECT: the query gets a LIMIT, so the engine stops early) or N "
    "triples (CONSTRUCT, DESCRIBE). Without it every row is streamed out.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the answer to this file instead of standard output; it appears only once "
    "the query has finished (a failed or stopped query leaves no partial file).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0),
    metavar="SECONDS",
    default=QUERY_TIMEOUT,
    show_default=True,
    help="Seconds the query may run: after that it is stopped (exit 5). With --endpoint: "
    "seconds to wait for the whole answer (exit 3). 0: no limit. Credentials for "
    "--endpoint: VETGRAPH_ENDPOINT_USER, VETGRAPH_ENDPOINT_PASSWORD, VETGRAPH_ENDPOINT_AUTH.",
)
@common_options
def query(
    name: str | None,
    query_file: Path | None,
    sparql: str | None,
    params: tuple[str, ...],
    fmt: str | None,
    inputs: tuple[Path, ...],
    endpoint: str | None,
    allow_service: bool,
    limit: int | None,
    width: int | None,
    output: Path | None,
    timeout: float,
) -> None:
    """Run a SPARQL query: NAME from the library, --file F.rq, or --sparql 'TEXT'.

    Queries read only: SPARQL Update is refused, and so is SERVICE unless allowed. The
    default graph is the union of all graphs. Answers stream out row by row. Exit 0 on
    success (also for zero rows), 2 on a bad query or parameter, 3 when a remote endpoint
    fails, 4 when --output cannot be written, 5 when the query ran past --timeout.
    """
    from vetgraph.sparql.library import LibraryQuery
    from vetgraph.sparql.running import prepare

    source, where = _query_source(name, query_file, sparql)
    if output is not None:
        from vetgraph.outputs import check_target

        check_target(output)
    backend = _backend(endpoint, inputs, timeout)
    bound = prepare(
        source,
        parse_params(params),
        backend=backend,
        allow_service=allow_service,
        where=where,
        limit=limit,
    )
    if not isinstance(source, LibraryQuery):  # only what the user wrote: library queries are known
        _warn_unknown_terms(source, backend, bound, where)
    run = _runner(
        backend,
        bound,
        _answer_format(bound.form, fmt),
        limit,
        endpoint,
        timeout,
        where,
        width=_table_width(width, output),
    )
    if output is None:
        stream_stdout(run)
        return
    from vetgraph.outputs import streamed_file

    with streamed_file(output) as handle:
        run(handle)


def _query_source(name: str | None, query_file: Path | None, sparql: str | None) -> tuple[Any, str]:
    """The one query given (a library query or SPARQL text) and where it came from."""
    from vetgraph.sparql.library import get_query

    given = [x for x in (name, query_file, sparql) if x is not None]
    if len(given) != 1:
        raise QueryError(
            "give one query: a library NAME, --file F.rq or --sparql 'TEXT'"
            + (f" (got {len(given)})" if given else ""),
            hint="`vetgraph queries` lists the library",
        )
    if name is not None:
        return get_query(name), name
    if query_file is not None:
        try:
            return query_file.read_text(encoding="utf-8"), str(query_file)
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"{query_file}: cannot read the query ({exc})") from None
    return sparql, "--sparql"


def _warn_unknown_terms(text: str, backend: Any, bound: Any, where: str) -> None:
    """A warning on stderr for each vet: term the ontology does not declare; the query runs.
    A query that does not parse gets its syntax error alone."""
    from vetgraph.sparql.feedback import check_parses, unknown_terms

    warnings = unknown_terms(text, backend, where)
    if warnings:
        check_parses(bound)
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)


def _backend(endpoint: str | None, inputs: tuple[Path, ...], timeout: float) -> Any:
    """The remote endpoint, or the graph read from --input (or the bundled data)."""
    from vetgraph.sparql.backend import LocalBackend

    if endpoint:
        given = "--input" if inputs else "--store" if chosen_store() else None
        if given:
            raise InputError(
                f"{given} and --endpoint exclude each other",
                hint="the query runs either on a local graph or on the remote store",
            )
        from vetgraph.sparql.endpoint import Endpoint

        return Endpoint(endpoint, read_timeout=timeout or None)
    return LocalBackend(load_inputs(inputs))


def _answer_format(form: str, fmt: str | None) -> str:
    """--format, or the default for the query's form; refused when it does not fit."""
    from vetgraph.sparql.results import GRAPH_FORMATS

    graph_form = form in _GRAPH_FORMS
    fmt = fmt or ("ttl" if graph_form else "table")
    if graph_form != (fmt in GRAPH_FORMATS):
        kinds = "ttl, nt or jsonld" if graph_form else "table, csv, tsv, json or md"
        raise QueryError(f"--format {fmt} does not fit a {form} query; use {kinds}")
    return fmt


def _table_width(width: int | None, output: Path | None) -> int | None:
    """--width, else the terminal's width when the answer goes to a terminal; None (every
    value whole) in a pipe or a file, where nothing may be lost."""
    if width is not None:
        return width or None
    if output is None and sys.stdout.isatty():
        return shutil.get_terminal_size().columns
    return None


def _runner(
    backend: Any,
    bound: Any,
    fmt: str,
    limit: int | None,
    endpoint: str | None,
    timeout: float,
    where: str,
    *,
    width: int | None,
) -> Callable[[Any], None]:
    """Runs the query and renders its answer to a stream, within --timeout; a table fits
    ``width`` columns (None: every value whole)."""
    from vetgraph.sparql.results import render

    def answer(out: Any) -> None:
        result = backend.execute(bound)
        if bound.form in _GRAPH_FORMS and limit is not None:
            import itertools

            result = itertools.islice(result, limit)
        render(result, fmt, out, width=width)

    def run(out: Any) -> None:
        if endpoint:  # the endpoint's own time limits apply (connect, answer)
            answer(out)
            return
        from vetgraph.sparql.deadline import run_with_deadline

        run_with_deadline(answer, out, timeout or None, what=f"{where}: the query")

    return run
