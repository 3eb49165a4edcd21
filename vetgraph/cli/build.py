"""The commands that make and check the graph: build, validate, stats."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from vetgraph.cli.options import common_options, inputs_option, load_inputs
from vetgraph.cli.terminal import progress
from vetgraph.errors import ExitCode
from vetgraph.graph.release import version


@click.command()
@click.option(
    "--out",
    "out_dir",
    default="dist",
    show_default=True,
    type=click.Path(path_type=Path),
    help="Folder for the outputs (created if missing). vetgraph replaces only the files it "
    "wrote there (listed in its .vetgraph-manifest.json), all or none, so a failure keeps the "
    "previous output; a folder holding other files is refused.",
)
@click.option(
    "--force",
    is_flag=True,
    help="Write into a folder vetgraph did not make: files named like an output are replaced, "
    "every other file is left as it is.",
)
@click.option(
    "--sparql-endpoint",
    metavar="URL",
    help="The http(s) address the graph is served at, to advertise in void.ttl.",
)
@click.option(
    "--no-site",
    is_flag=True,
    help="Leave out the site's pages (index.html, and a page with its RDF for every entity "
    "and source in id/ and source/): four files per entity, which on a graph of 100,000 "
    "entities take most of the build's time and space. The exports and views are still written.",
)
@inputs_option
@common_options
@click.pass_context
def build(
    ctx: click.Context,
    out_dir: Path,
    force: bool,
    sparql_endpoint: str | None,
    no_site: bool,
    inputs: tuple[Path, ...],
) -> None:
    """Load the ontology and data, validate, and write the outputs.

    Writes vetgraph.trig (named graphs kept), vetgraph.ttl (everything merged into one
    graph), the validation report (validation-report.txt, .json), every other export
    (vetgraph.nq .nt .jsonld .rdf .graphml .gexf, nodes.csv, edges.csv, context.jsonld),
    the dataset description (void.ttl), the documentation (ontology.html,
    queries.html), the views (graph.html, timeline.html) and the site: index.html (search,
    browse by class), a page per entity (id/NAME.html) and per source (source/NAME.html),
    each with its RDF beside it (.ttl, .nt, .jsonld) holding the facts with their sources
    (--no-site leaves the site out). Exit 0 when valid, 1 on violations (nothing is
    written), 2 on bad input (a term without label or definition included).
    """
    from vetgraph.outputs import check_target, write_folder
    from vetgraph.publish.pipeline import build_outputs

    if sparql_endpoint is not None:
        from vetgraph.sparql.endpoint import check_http_url

        check_http_url(sparql_endpoint, what="--sparql-endpoint")
    check_target(out_dir, folder=True, force=force)  # before work that could not be saved
    with progress(ctx) as step:
        step("Reading ontology and data")
        graph = load_inputs(inputs)
        result = build_outputs(
            progress=step, sparql_endpoint=sparql_endpoint, graph=graph, site=not no_site
        )
        if result.report.conforms:
            step(f"Writing {out_dir}")
            write_folder(out_dir, result.files, force=force, writer=f"vetgraph {version()}")
    if not result.report.conforms:
        from vetgraph.check.report import render_text

        click.echo(render_text(result.report), nl=False)
        click.echo(
            f"build failed: validation found violations; {out_dir} was left unchanged", err=True
        )
        ctx.exit(ExitCode.FINDINGS)
    if not ctx.obj.get("quiet"):
        click.echo(_render_stats(result.stats, title=f"Built {out_dir}/"))
        for line in _written(out_dir, result.files):
            click.echo(line)


def _written(out_dir: Path, files: dict[str, bytes]) -> list[str]:
    """The files written, each folder of many (the site's id/, source/) as one line."""
    counts: dict[str, int] = {}  # file name, or folder name + "/" → files in it
    for name in files:
        top, slash, _ = name.partition("/")
        counts[top + slash] = counts.get(top + slash, 0) + 1
    return [
        f"  {out_dir / key}/ ({n:,} file{'s' if n > 1 else ''})"
        if key.endswith("/")
        else f"  {out_dir / key}"
        for key, n in counts.items()
    ]


@click.command()
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
    from vetgraph.check.report import RENDERERS
    from vetgraph.check.validation import validate as run_validation

    with progress(ctx) as step:
        step("Reading ontology and data")
        kg = load_inputs(inputs)
        step("Validating")
        report = run_validation(kg)
    click.echo(RENDERERS[fmt](report), nl=False)
    if not report.conforms:
        ctx.exit(ExitCode.FINDINGS)


@click.command()
@inputs_option
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@common_options
@click.pass_context
def stats(ctx: click.Context, inputs: tuple[Path, ...], fmt: str) -> None:
    """Entities per class, facts per kind of source, facts with and without a locator."""
    from vetgraph.check.stats import compute

    with progress(ctx) as step:
        step("Reading ontology and data")
        kg = load_inputs(inputs)
        step("Counting")
        figures = compute(kg)
    if fmt == "json":
        click.echo(json.dumps(figures.as_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(_render_stats(figures, title="vetgraph statistics"))


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
