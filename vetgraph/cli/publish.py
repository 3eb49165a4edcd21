"""The commands that write the graph for other tools: export, diff."""

from __future__ import annotations

from pathlib import Path

import click

from vetgraph.cli.options import common_options, inputs_option, load_inputs
from vetgraph.cli.terminal import progress, write_stdout
from vetgraph.errors import InputError

#: The export formats, for --help without importing the exporters (a test keeps it in step).
EXPORT_FORMATS = "trig nq ttl nt jsonld rdfxml graphml gexf csv"


@click.command()
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
    with progress(ctx) as step:
        step("Reading ontology and data")
        kg = load_inputs(inputs)
        step(f"Writing {spec.name}")
        files = outputs(kg, spec.name)
        if output is None:
            [data] = files.values()
            write_stdout(ctx, data)
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


@click.command()
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

    with progress(ctx) as step:
        step(f"Comparing {old} and {new}")
        delta = compare(old, new)
    click.echo(RENDERERS[fmt](delta), nl=False)
