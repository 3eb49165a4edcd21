"""The ``vetgraph`` command: thin. Each command parses its options, calls one library
function, renders the result, and maps errors to the documented exit codes:

0 ok · 1 validation findings · 2 bad input · 3 remote endpoint failed · 4 output not
written · 5 query timed out · 70 internal error (a bug) · 130 interrupted.

Heavy libraries are imported inside the commands, so ``vetgraph --help`` answers at once.
"""

from __future__ import annotations

import json
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import click

from vetgraph.errors import ExitCode, InputError, VetgraphError

INTERNAL_ERROR = 70


def _version() -> str:
    try:
        return version("vetgraph")
    except PackageNotFoundError:  # running from a checkout that is not installed
        return "0+unknown"


class VetgraphGroup(click.Group):
    """Maps vetgraph's errors to exit codes and one-line messages (tracebacks with --debug)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except VetgraphError as exc:
            _fail(ctx, f"error: {exc}", exc.exit_code)
        except KeyboardInterrupt:
            _fail(ctx, "interrupted", ExitCode.INTERRUPTED)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as exc:  # a bug: say so plainly, keep the traceback for --debug
            _fail(
                ctx,
                f"internal error: {type(exc).__name__}: {exc}\n"
                "  hint: this is a bug in vetgraph; rerun with --debug and report the traceback",
                INTERNAL_ERROR,
            )


def _fail(ctx: click.Context, message: str, code: int) -> None:
    if (ctx.obj or {}).get("debug"):
        traceback.print_exc()
    click.echo(message, err=True)
    ctx.exit(int(code))


@click.group(cls=VetgraphGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(_version(), prog_name="vetgraph")
@click.option("--debug", is_flag=True, help="Show the full traceback when something fails.")
@click.option("-q", "--quiet", is_flag=True, help="No progress display and no summary.")
@click.pass_context
def cli(ctx: click.Context, debug: bool, quiet: bool) -> None:
    """vetgraph: the knowledge graph of EU vocational education and training policy.

    Build, validate, query, explore and publish the graph. Every fact carries its source.
    """
    ctx.ensure_object(dict)
    ctx.obj.update(debug=debug, quiet=quiet)


# -- reusable option bundles ----------------------------------------------------------------


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
    return click.option(
        "--input",
        "inputs",
        multiple=True,
        type=click.Path(path_type=Path),
        help="Your own RDF file or folder instead of the bundled data (repeatable; "
        ".ttl .trig .nt .nq .rdf .owl .xml .jsonld .n3). The ontology and shapes still apply.",
    )(func)


@contextmanager
def _progress(ctx: click.Context) -> Iterator[Callable[[str], None]]:
    """Show the current step on a terminal; stay silent when piped or with --quiet."""
    from rich.console import Console

    console = Console(stderr=True)
    if ctx.obj.get("quiet") or not console.is_terminal:
        yield lambda _label: None
        return
    with console.status("") as status:
        yield lambda label: status.update(f"[bold]{label}[/bold]")


def _load(inputs: tuple[Path, ...]):
    from vetgraph.graph.build import load

    return load(list(inputs) or None)


# -- commands -------------------------------------------------------------------------------


@cli.command()
@click.option(
    "--out",
    "out_dir",
    default="dist",
    show_default=True,
    type=click.Path(path_type=Path),
    help="Folder for the outputs; replaced atomically, so a failure keeps the previous output.",
)
@click.option(
    "--sparql-endpoint",
    metavar="URL",
    help="The address the graph is served at, to advertise in void.ttl.",
)
@inputs_option
@common_options
@click.pass_context
def build(
    ctx: click.Context, out_dir: Path, sparql_endpoint: str | None, inputs: tuple[Path, ...]
) -> None:
    """Load the ontology and data, validate, and write the outputs.

    Writes vetgraph.trig (named graphs kept), vetgraph.ttl (everything merged into one
    graph), the validation report (validation-report.txt, .json), every other export
    (vetgraph.nq .nt .jsonld .rdf .graphml .gexf, nodes.csv, edges.csv, context.jsonld),
    the dataset description (void.ttl) and the documentation (ontology.html,
    queries.html). Exit 0 when valid, 1 on violations (nothing is written), 2 on bad
    input (a term without label or definition included).
    """
    from vetgraph.outputs import check_target, write_folder
    from vetgraph.publish.pipeline import build_outputs

    check_target(out_dir, folder=True)  # before minutes of work that could not be saved
    with _progress(ctx) as step:
        result = build_outputs(list(inputs) or None, progress=step, sparql_endpoint=sparql_endpoint)
        if result.report.conforms:
            step(f"Writing {out_dir}")
            write_folder(out_dir, result.files)
    if not result.report.conforms:
        from vetgraph.check.validation import render_text

        click.echo(render_text(result.report), nl=False)
        click.echo(
            f"build failed: validation found violations; {out_dir} was left unchanged", err=True
        )
        ctx.exit(ExitCode.FINDINGS)
    if not ctx.obj.get("quiet"):
        click.echo(_render_stats(result.stats, title=f"Built {out_dir}/"))
        for name in result.files:
            click.echo(f"  {out_dir / name}")


@cli.command()
@inputs_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "turtle"]),
    default="text",
    show_default=True,
    help="How to print the report (turtle: a SHACL validation report graph).",
)
@common_options
@click.pass_context
def validate(ctx: click.Context, inputs: tuple[Path, ...], fmt: str) -> None:
    """Check the graph against the SHACL shapes and the check queries.

    Exit 0 when it conforms, 1 when a violation is found, 2 on bad input.
    """
    from vetgraph.check.validation import RENDERERS
    from vetgraph.check.validation import validate as run_validation

    with _progress(ctx) as step:
        step("Reading ontology and data")
        kg = _load(inputs)
        step("Validating")
        report = run_validation(kg)
    click.echo(RENDERERS[fmt](report), nl=False)
    if not report.conforms:
        ctx.exit(ExitCode.FINDINGS)


@cli.command()
@inputs_option
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@common_options
@click.pass_context
def stats(ctx: click.Context, inputs: tuple[Path, ...], fmt: str) -> None:
    """Entities per class, facts per kind of source, facts with and without a locator."""
    from vetgraph.check.stats import compute

    with _progress(ctx) as step:
        step("Reading ontology and data")
        kg = _load(inputs)
        step("Counting")
        figures = compute(kg)
    if fmt == "json":
        click.echo(json.dumps(figures.as_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(_render_stats(figures, title="vetgraph statistics"))


#: The export formats, for --help without importing the exporters (a test keeps it in step).
EXPORT_FORMATS = "trig nq ttl nt jsonld rdfxml graphml gexf csv"


@cli.command()
@click.option(
    "-f",
    "--format",
    "fmt",
    required=True,
    metavar="FORMAT",
    help=f"One of: {EXPORT_FORMATS.replace(' ', ', ')}.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="The file to write (for csv: an existing folder, which gets nodes.csv and "
    "edges.csv). Without it, the export goes to standard output.",
)
@inputs_option
@common_options
@click.pass_context
def export(ctx: click.Context, fmt: str, output: Path | None, inputs: tuple[Path, ...]) -> None:
    """Write the graph in a standard format, for other tools.

    \b
    RDF, the triples themselves:
      trig     TriG, named graphs kept (claims, provenance, sources, ontology modules)
      nq       N-Quads, named graphs kept
      ttl      Turtle, all graphs merged into one
      nt       N-Triples, all graphs merged
      jsonld   JSON-LD compacted against vetgraph's @context, named graphs kept
      rdfxml   RDF/XML, all graphs merged
    The network of entities and their links, with labels, classes and sources:
      graphml  GraphML (Gephi, yEd, networkx)
      gexf     GEXF 1.2 (Gephi)
      csv      two files, nodes.csv and edges.csv, into the folder given with -o

    The same graph always gives byte-identical output. The file is written atomically:
    a failure leaves no partial file. Exit 2 on an unknown format or bad input, 4 when
    the output cannot be written.
    """
    from vetgraph.outputs import write_file, write_files
    from vetgraph.publish.export import get_format, outputs

    spec = get_format(fmt)  # an unknown format fails before any work is done
    if spec.write is None and output is None:
        raise InputError(
            f"the {spec.name} export is {len(spec.files)} files ({', '.join(spec.files)}), "
            "which cannot go to standard output",
            hint=f"name a folder for them: vetgraph export --format {spec.name} -o FOLDER",
        )
    if output is not None and spec.write is not None:
        from vetgraph.outputs import check_target

        check_target(output)
    with _progress(ctx) as step:
        step("Reading ontology and data")
        kg = _load(inputs)
        step(f"Writing {spec.name}")
        files = outputs(kg, spec.name)
        if output is None:
            [data] = files.values()
            _to_stdout(ctx, data)
            return
        if spec.write is None:
            write_files(output, files)
            written = [output / name for name in files]
        else:
            [data] = files.values()
            write_file(output, data)
            written = [output]
    if not ctx.obj.get("quiet"):
        for path in written:
            click.echo(f"Wrote {path} ({path.stat().st_size:,} bytes)")


def _to_stdout(ctx: click.Context, data: bytes) -> None:
    try:
        click.echo(data, nl=False)  # bytes go to the binary stream untouched
    except BrokenPipeError:  # the reader stopped early (| head): not an error
        import os
        import sys

        # Python flushes stdout again at exit; point it at /dev/null so that is silent.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        ctx.exit(0)


@cli.command()
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "md"]),
    default="text",
    show_default=True,
    help="text for the terminal, md (Markdown) for a release note or an issue.",
)
@common_options
@click.pass_context
def diff(ctx: click.Context, old: Path, new: Path, fmt: str) -> None:
    """What changed between two versions of the graph: a delta report.

    OLD and NEW are each a file, a build folder (one holding vetgraph.trig) or a folder of
    RDF files. Reports the triples added and removed, grouped by entity and by class,
    and the named graphs (claims) that appeared or disappeared. Exit 0 (whether or not
    anything changed), 2 when an input is missing or does not parse (file:line:column).
    """
    from vetgraph.publish.diff import RENDERERS, compare

    with _progress(ctx) as step:
        step(f"Comparing {old} and {new}")
        delta = compare(old, new)
    click.echo(RENDERERS[fmt](delta), nl=False)


@cli.command()
@click.option(
    "-o",
    "--output",
    default="graph.html",
    show_default=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="The page to write (one self-contained HTML file; it opens offline).",
)
@click.option(
    "--focus",
    metavar="ENTITY",
    help="Only the neighbourhood of ENTITY: its IRI, CURIE (vg:...) or exact label.",
)
@click.option(
    "--depth",
    type=click.IntRange(0, 20),
    default=None,
    help="With --focus: how many links away from ENTITY to go.  [default: 1]",
)
@click.option(
    "--query",
    "query_name",
    metavar="NAME",
    help="Only the result of a library query: the triples of a CONSTRUCT, "
    "the entities of a SELECT (see queries/).",
)
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="A parameter of --query (repeatable); IRIs may be given as CURIEs.",
)
@click.option(
    "--layout",
    type=click.Choice(["network", "timeline"]),
    default="network",
    show_default=True,
    help="network: linked entities; timeline: dated entities by year, a lane per class.",
)
@click.option(
    "--size-by",
    type=click.Choice(["degree", "betweenness"]),
    default="degree",
    show_default=True,
    help="What a node's size shows at first (the page can switch).",
)
@click.option("--title", help="The page's title.")
@inputs_option
@common_options
@click.pass_context
def viz(
    ctx: click.Context,
    output: Path,
    focus: str | None,
    depth: int | None,
    query_name: str | None,
    params: tuple[str, ...],
    layout: str,
    size_by: str,
    title: str | None,
    inputs: tuple[Path, ...],
) -> None:
    """Write the graph as one interactive HTML page (no network needed to open it).

    Colours by class with a legend, sizes by links or centrality, a search box, filters by
    class and period, and for the selected entity its description, dates, facts and their
    sources. Large graphs (over 500 entities) are laid out in Python and start still.

    \b
    Examples:
      vetgraph viz -o graph.html
      vetgraph viz --focus vg:bruges-communique --depth 2 -o bruges.html
      vetgraph viz --layout timeline -o timeline.html
      vetgraph viz --query sources-of-entity --param entity=vg:dg-eac
    """
    from vetgraph.explore.visualise import viz as make_page

    if depth is not None and focus is None:
        raise click.UsageError("--depth goes with --focus ENTITY")
    if params and query_name is None:
        raise click.UsageError("--param goes with --query NAME")
    from vetgraph.outputs import check_target

    check_target(output)
    with _progress(ctx) as step:
        step("Reading ontology and data")
        kg = _load(inputs)
        step("Drawing")
        page = make_page(
            kg,
            focus=focus,
            depth=1 if depth is None else depth,
            query=query_name,
            params=_parse_params(params),
            layout=layout,
            size_by=size_by,
            title=title,
        )
        step(f"Writing {output}")
        page.save(output)
    if not ctx.obj.get("quiet"):
        click.echo(
            f"Wrote {output} ({page.nodes} entities, {page.edges} links); open it in a browser"
        )


@cli.command()
@click.argument("start", metavar="A")
@click.argument("end", metavar="B")
@click.option(
    "--max-length",
    type=click.IntRange(1, 50),
    default=6,
    show_default=True,
    help="Look no further than this many links.",
)
@click.option(
    "--limit",
    type=click.IntRange(1, 1000),
    default=10,
    show_default=True,
    help="Show at most this many connections (all are equally short).",
)
@click.option(
    "--html",
    "html_out",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Also write the page with the connections highlighted.",
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@inputs_option
@common_options
@click.pass_context
def path(
    ctx: click.Context,
    start: str,
    end: str,
    max_length: int,
    limit: int,
    html_out: Path | None,
    fmt: str,
    inputs: tuple[Path, ...],
) -> None:
    """The shortest connections between entities A and B, each hop with its source.

    A and B are IRIs, CURIEs (vg:...) or exact labels. Links are followed in both
    directions; each hop is printed in its real direction with the source that states it.
    Exit 0 when connected, 1 when there is no connection within --max-length links.

    \b
    Example:
      vetgraph path vg:bruges-communique vg:ssa-pilot-tourism
    """
    from vetgraph.explore.network import connections, explain, resolve, to_networkx

    if html_out is not None:
        from vetgraph.outputs import check_target

        check_target(html_out)
    with _progress(ctx) as step:
        step("Reading ontology and data")
        kg = _load(inputs)
        graph = to_networkx(kg)
        a, b = resolve(graph, start), resolve(graph, end)
        step("Searching")
        found = connections(graph, a, b, max_length=max_length, limit=limit)
    label_a, label_b = graph.nodes[a]["label"], graph.nodes[b]["label"]
    if not found:
        click.echo(
            f"No connection between {label_a} and {label_b} within {max_length} links.", err=True
        )
        ctx.exit(ExitCode.FINDINGS)
    if fmt == "json":
        click.echo(json.dumps(_connections_json(graph, found), indent=2, ensure_ascii=False))
    else:
        n, hops = len(found), len(found[0])
        click.echo(
            f"{label_a} → {label_b}: {n} shortest connection{'s' * (n > 1)} "
            f"of {hops} link{'s' * (hops > 1)}"
        )
        for i, connection in enumerate(found, start=1):
            click.echo("")
            for j, line in enumerate(explain(graph, connection)):
                click.echo(f"{f'{i}.' if j == 0 else '':>4} {line}")
    if html_out is not None:
        from vetgraph.explore.visualise import viz as make_page

        make_page(graph, between=(a, b), max_length=max_length, title="vetgraph path").save(
            html_out
        )
        if not ctx.obj.get("quiet"):
            click.echo(f"\nWrote {html_out}", err=True)


def _connections_json(graph: Any, found: list[Any]) -> list[dict[str, Any]]:
    def who(node: str) -> dict[str, str]:
        return {
            "iri": node,
            "curie": graph.nodes[node]["curie"],
            "label": graph.nodes[node]["label"],
        }

    return [
        {
            "nodes": [who(n) for n in c.nodes],
            "hops": [
                {
                    "from": who(hop.start),
                    "to": who(hop.end),
                    "links": [
                        {
                            "subject": who(link.subject),
                            "property": link.curie,
                            "label": link.label,
                            "object": who(link.object),
                            "sources": list(link.sources),
                        }
                        for link in hop.links
                    ],
                }
                for hop in c.hops
            ],
        }
        for c in found
    ]


@cli.command()
@click.option(
    "--top", type=click.IntRange(1, 10000), default=10, show_default=True, help="How many to list."
)
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@inputs_option
@common_options
@click.pass_context
def analyze(ctx: click.Context, top: int, fmt: str, inputs: tuple[Path, ...]) -> None:
    """Degree and betweenness centrality, connected components and communities.

    On the graph of entities and their links (directions ignored). Betweenness is exact up
    to 1,000 entities and estimated from a sample of 200 sources above. Communities are
    Louvain's, seeded: the same graph gives the same communities.
    """
    from vetgraph.explore.network import analyze as run_analysis
    from vetgraph.explore.network import to_networkx

    with _progress(ctx) as step:
        step("Reading ontology and data")
        kg = _load(inputs)
        graph = to_networkx(kg)
        step("Analysing")
        result = run_analysis(graph)
    figures = result.as_dict(graph, top=top)
    if fmt == "json":
        click.echo(json.dumps(figures, indent=2, ensure_ascii=False))
    else:
        click.echo(_render_analysis(figures))


def _render_analysis(f: dict[str, Any]) -> str:
    def name(who: dict[str, Any]) -> str:
        return f"{who['label']} ({who['curie']})"

    communities = f["communities"]
    lines = [
        f"Graph: {f['nodes']} entities, {f['edges']} links; "
        f"{f['components']['count']} connected component(s); {communities['count']} "
        f"communities (modularity {communities['modularity']:.3f})",
        "",
        "Degree centrality:",
        f"  {'links':>5}  {'centrality':>10}  entity",
    ]
    for d in f["degree"]:
        lines.append(f"  {d['degree']:>5}  {d['centrality']:>10.3f}  {name(d)}")
    samples = f["betweenness_samples"]
    estimated = f" (estimated from {samples} sources)" if samples else ""
    lines += ["", f"Betweenness centrality{estimated}:", f"  {'betweenness':>11}  entity"]
    for d in f["betweenness"]:
        lines.append(f"  {d['betweenness']:>11.3f}  {name(d)}")
    sizes = f["components"]["sizes"]
    shown = ", ".join(map(str, sizes[:20])) + (", ..." if len(sizes) > 20 else "")
    lines += [
        "",
        f"Connected components: {len(sizes)} (sizes: {shown})",
        "",
        "Communities (Louvain), largest first, with their most connected entities:",
    ]
    for i, c in enumerate(communities["largest"], start=1):
        around = "; ".join(m["label"] for m in c["most_connected"])
        lines.append(f"  {i:>3}. {c['size']:>5} entities: {around}")
    return "\n".join(lines)


def _render_stats(figures: Any, title: str) -> str:
    lines = [
        title,
        f"  triples: {figures.triples}",
        f"  facts: {figures.facts} ({figures.facts_with_locator} with a locator, "
        f"{figures.facts_without_locator} without)",
        f"  sources: {len(figures.sources)}",
        "",
        "Entities per class:",
    ]
    width = max((len(c) for c, _, _ in figures.entities_per_class), default=10)
    for cls, _label, n in figures.entities_per_class:
        lines.append(f"  {cls:<{width}}  {n:>5}")
    lines.append("")
    lines.append("Facts per kind of source:")
    for kind, label, n in figures.facts_per_source_kind:
        lines.append(f"  {label or kind:<{width}}  {n:>5}")
    return "\n".join(lines)


# -- SPARQL: the query library, queries, remote stores, the local endpoint ------------------

#: Seconds a `vetgraph query` may run before it is stopped (--timeout).
QUERY_TIMEOUT = 30.0
#: Output formats of `vetgraph query` (vetgraph.sparql.results.SOLUTION_FORMATS + GRAPH_FORMATS,
#: written out here so that `vetgraph --help` does not import the query machinery).
QUERY_FORMATS = ("table", "csv", "tsv", "json", "md", "ttl", "nt", "jsonld")
_KIND_TITLES = {
    "cq": "Competency questions (queries/cq)",
    "checks": "Checks (queries/checks): zero rows = pass",
    "reports": "Reports (queries/reports)",
}


@cli.command("queries")
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
    h = q.header
    out = [f"{q.name} ({q.kind}): {h.title}"]
    if h.question:
        out.append(f"question: {h.question}")
    out.append(f"description: {h.description}")
    if h.params:
        out.append("parameters:")
        for p in h.params:
            bits = [p.type, "required" if p.required else f"default: {p.default}"]
            if p.example:
                bits.append(f"example: {p.example}")
            out.append(f"  {p.name} ({'; '.join(bits)}): {p.description}")
    else:
        out.append("parameters: none")
    out.append(f"shape: {h.shape}")
    if h.note:
        out.append(f"note: {h.note}")
    out.append(f"file: {_relative(q.path)}")
    example = " ".join(
        f"--param {p.name}={_shell_quote(p.example or p.default or 'VALUE')}"
        for p in h.params
        if p.required or p.example
    )
    out.append(f"run: vetgraph query {q.name}" + (f" {example}" if example else ""))
    body = "\n".join(line for line in q.text.splitlines() if not line.startswith("#")).strip()
    return "\n".join(out) + "\n\n" + body + "\n"


def _relative(path: Path) -> Path:
    from vetgraph.graph import resources

    try:
        return path.relative_to(resources.root())
    except ValueError:
        return path


def _shell_quote(value: str) -> str:
    import shlex

    return shlex.quote(value)


def _parse_params(pairs: tuple[str, ...]) -> dict[str, Any]:
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


@cli.command()
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
    "CURIE (vg:...) or exact label. Undeclared: a plain literal, or an IRI if written <...>.",
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
    output: Path | None,
    timeout: float,
) -> None:
    """Run a SPARQL query: NAME from the library, --file F.rq, or --sparql 'TEXT'.

    Queries read only: SPARQL Update is refused, and so is SERVICE unless allowed. The
    default graph is the union of all graphs. Answers stream out row by row. Exit 0 on
    success (also for zero rows), 2 on a bad query or parameter, 3 when a remote endpoint
    fails, 4 when --output cannot be written, 5 when the query ran past --timeout.
    """
    from vetgraph.errors import InputError, QueryError
    from vetgraph.sparql.backend import LocalBackend
    from vetgraph.sparql.library import get_query
    from vetgraph.sparql.results import GRAPH_FORMATS, render
    from vetgraph.sparql.running import prepare

    given = [x for x in (name, query_file, sparql) if x is not None]
    if len(given) != 1:
        raise QueryError(
            "give one query: a library NAME, --file F.rq or --sparql 'TEXT'"
            + (f" (got {len(given)})" if given else ""),
            hint="`vetgraph queries` lists the library",
        )
    source: Any
    if name is not None:
        source, where = get_query(name), name
    elif query_file is not None:
        try:
            source, where = query_file.read_text(encoding="utf-8"), str(query_file)
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"{query_file}: cannot read the query ({exc})") from None
    else:
        source, where = sparql, "--sparql"
    if output is not None:
        from vetgraph.outputs import check_target

        check_target(output)
    backend: Any
    if endpoint:
        if inputs:
            raise InputError(
                "--input and --endpoint exclude each other",
                hint="the query runs either on local files or on the remote store",
            )
        from vetgraph.sparql.endpoint import Endpoint

        backend = Endpoint(endpoint, read_timeout=timeout or None)
    else:
        backend = LocalBackend(_load(inputs))
    bound = prepare(
        source,
        _parse_params(params),
        backend=backend,
        allow_service=allow_service,
        where=where,
        limit=limit,
    )
    graph_form = bound.form in ("CONSTRUCT", "DESCRIBE")
    fmt = fmt or ("ttl" if graph_form else "table")
    if graph_form != (fmt in GRAPH_FORMATS):
        kinds = "ttl, nt or jsonld" if graph_form else "table, csv, tsv, json or md"
        raise QueryError(f"--format {fmt} does not fit a {bound.form} query; use {kinds}")

    def answer(out: Any) -> None:
        result = backend.execute(bound)
        if graph_form and limit is not None:
            import itertools

            result = itertools.islice(result, limit)
        render(result, fmt, out)

    def run(out: Any) -> None:
        if endpoint:  # the endpoint's own time limits apply (connect, answer)
            answer(out)
            return
        from vetgraph.sparql.deadline import run_with_deadline

        run_with_deadline(answer, out, timeout or None, what=f"{where}: the query")

    if output is None:
        _stream_out(run)
        return
    from vetgraph.outputs import streamed_file

    with streamed_file(output) as handle:
        run(handle)


def _stream_out(write: Callable[[Any], None]) -> None:
    """Write to stdout as bytes; a closed pipe (`| head`) ends quietly."""
    import os
    import sys

    out = sys.stdout.buffer
    try:
        write(out)
        out.flush()
    except BrokenPipeError:
        try:  # keep Python from complaining when it flushes stdout at exit
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass


@cli.command()
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
    with _progress(ctx) as step:
        step("Reading ontology and data")
        kg = _load(inputs)
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


@cli.command()
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
@inputs_option
@common_options
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, timeout: int, inputs: tuple[Path, ...]) -> None:
    """Serve the graph read-only as a SPARQL 1.1 Protocol endpoint with a query editor.

    Runs the Oxigraph server (PyPI `oxigraph`) over a copy of the graph, with the union
    of all graphs as the default graph. Prints the URLs; Ctrl-C stops it (exit 0).
    """
    import signal
    import sys
    import tempfile

    from vetgraph.sparql.endpoint import OxigraphServer, free_port, load_store

    with _progress(ctx) as step:
        step("Reading ontology and data")
        kg = _load(inputs)
    with tempfile.TemporaryDirectory(prefix="vetgraph-serve-") as tmp:
        location = Path(tmp) / "store"
        load_store(location, kg.quads())
        server = OxigraphServer(
            location,
            host=host,
            port=port or free_port(host),
            log=Path(tmp) / "oxigraph.log",
            timeout=timeout or None,
        )

        def stop(_signum: int, _frame: Any) -> None:
            raise KeyboardInterrupt

        # Ctrl-C and SIGTERM stop the server; SIGINT too when started in the background
        # (a shell starts background jobs with SIGINT ignored).
        previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            server.start()
            click.echo(
                f"Serving {len(kg)} triples read-only (default graph: the union of all graphs)\n"
                f"  query editor:    {server.url}/\n"
                f"  SPARQL endpoint: {server.query_url}\n"
                "Press Ctrl-C to stop."
            )
            sys.stdout.flush()
            code = server.wait()
            raise VetgraphError(f"the Oxigraph server stopped unexpectedly (exit {code})")
        except KeyboardInterrupt:
            click.echo("Stopped.")
        finally:
            server.stop()
            for sig, handler in previous.items():
                signal.signal(sig, handler)


def main() -> None:
    """Console-script entry point."""
    from vetgraph.sparql import deadline

    deadline.own_process()  # a query past its time limit is stopped by ending the process
    try:
        cli.main(prog_name="vetgraph", obj={})
    except SystemExit as done:
        if not deadline.abandoned():
            raise
        # A stopped query still runs in its thread (Oxigraph cannot cancel it): end now,
        # without waiting for it, once what was printed is out.
        import contextlib
        import os
        import sys

        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        os._exit(done.code if isinstance(done.code, int) else 1)
