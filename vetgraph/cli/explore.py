"""The commands that explore the network of entities: viz, path, analyze."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from vetgraph.cli.options import common_options, inputs_option, load_inputs, parse_params
from vetgraph.cli.terminal import progress
from vetgraph.errors import ExitCode


@click.command()
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
    help="network: linked entities; timeline: dated entities by year, a lane per class "
    "group, with a list in date order.",
)
@click.option(
    "--size-by",
    type=click.Choice(["degree", "betweenness"]),
    default="degree",
    show_default=True,
    help="What a node's size shows (and which labels get room first).",
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

    Colours by class group with a legend (each group a filter, opening to its classes),
    sizes by links or centrality, labels as there is room, a search box, focus on a
    selection's neighbourhood, and for the selected entity its description, dates, facts
    and their sources. The page draws with WebGL (sigma.js) and keeps its state in the URL.

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
    with progress(ctx) as step:
        step("Reading ontology and data")
        kg = load_inputs(inputs)
        step("Drawing")
        page = make_page(
            kg,
            focus=focus,
            depth=1 if depth is None else depth,
            query=query_name,
            params=parse_params(params),
            layout=layout,
            size_by=size_by,
            title=title,
        )
        step(f"Writing {output}")
        page.save(output)
    if not ctx.obj.get("quiet"):
        drawn = f"{_count(page.nodes, 'entity', 'entities')}, {_count(page.edges, 'link', 'links')}"
        if layout == "timeline":
            drawn = _count(page.nodes, "dated entity", "dated entities")
        click.echo(f"Wrote {output} ({drawn}); open it in a browser")


@click.command()
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
    from vetgraph.explore.network import to_networkx
    from vetgraph.explore.paths import connections
    from vetgraph.explore.views import resolve

    if html_out is not None:
        from vetgraph.outputs import check_target

        check_target(html_out)
    with progress(ctx) as step:
        step("Reading ontology and data")
        kg = load_inputs(inputs)
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
        _print_connections(graph, found, f"{label_a} → {label_b}")
    if html_out is not None:
        from vetgraph.explore.visualise import viz as make_page

        make_page(graph, between=(a, b), max_length=max_length, title="vetgraph path").save(
            html_out
        )
        if not ctx.obj.get("quiet"):
            click.echo(f"\nWrote {html_out}", err=True)


def _print_connections(graph: Any, found: list[Any], title: str) -> None:
    """The connections in words, numbered, each hop with its source."""
    from vetgraph.explore.paths import explain

    n, hops = len(found), len(found[0])
    click.echo(f"{title}: {n} shortest connection{'s' * (n > 1)} of {hops} link{'s' * (hops > 1)}")
    for i, connection in enumerate(found, start=1):
        click.echo("")
        for j, line in enumerate(explain(graph, connection)):
            click.echo(f"{f'{i}.' if j == 0 else '':>4} {line}")


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


@click.command()
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
    from vetgraph.explore.analytics import analyze as run_analysis
    from vetgraph.explore.network import to_networkx

    with progress(ctx) as step:
        step("Reading ontology and data")
        kg = load_inputs(inputs)
        graph = to_networkx(kg)
        if graph.number_of_nodes() == 0:
            from vetgraph.errors import InputError
            from vetgraph.explore.plain import NO_ENTITY_HINT

            raise InputError("nothing to analyse: the graph holds no entity", hint=NO_ENTITY_HINT)
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
        f"Graph: {_count(f['nodes'], 'entity', 'entities')}, "
        f"{_count(f['edges'], 'link', 'links')}; "
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


def _count(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"
