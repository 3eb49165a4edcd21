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

from .errors import ExitCode, VetgraphError

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
    from .build import load

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
@inputs_option
@common_options
@click.pass_context
def build(ctx: click.Context, out_dir: Path, inputs: tuple[Path, ...]) -> None:
    """Load the ontology and data, validate, and write the outputs.

    Writes vetgraph.trig (named graphs kept), vetgraph.ttl (everything merged into one
    graph) and the validation report (validation-report.txt, .json). Exit 0 when valid,
    1 on violations (nothing is written), 2 on bad input.
    """
    from .outputs import write_folder
    from .pipeline import build_outputs

    with _progress(ctx) as step:
        result = build_outputs(list(inputs) or None, progress=step)
        if result.report.conforms:
            step(f"Writing {out_dir}")
            write_folder(out_dir, result.files)
    if not result.report.conforms:
        from .validation import render_text

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
    from .validation import RENDERERS
    from .validation import validate as run_validation

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
    from .stats import compute

    with _progress(ctx) as step:
        step("Reading ontology and data")
        kg = _load(inputs)
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


def main() -> None:
    """Console-script entry point."""
    cli.main(prog_name="vetgraph", obj={})


if __name__ == "__main__":  # pragma: no cover
    main()
