"""The ``vetgraph`` command: thin. Each command parses its options, calls one library
function, renders the result, and maps errors to the documented exit codes:

0 ok · 1 validation findings · 2 bad input · 3 remote endpoint failed · 4 output not
written · 5 query timed out · 70 internal error (a bug) · 130 interrupted.

Heavy libraries are imported inside the commands, so ``vetgraph --help`` answers at once.
This module holds the group, its error mapping and ``main()``; the commands live in one
module per kind of work (build, publish, explore, queries, endpoint).
"""

from __future__ import annotations

import sys
import traceback
from typing import Any

import click

from vetgraph.cli import build, endpoint, explore, publish, queries, stores
from vetgraph.cli.terminal import silence_stdout
from vetgraph.errors import ExitCode, VetgraphError
from vetgraph.graph.release import version

INTERNAL_ERROR = 70


class VetgraphGroup(click.Group):
    """Maps vetgraph's errors to exit codes and one-line messages (tracebacks with --debug)."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        """Click's own errors (a mistyped option, a missing argument) in vetgraph's form:
        ``error: ...`` on one line and a hint, not Click's four-line usage block."""
        kwargs["standalone_mode"] = False
        try:
            code = super().main(*args, **kwargs)
        except click.exceptions.NoArgsIsHelpError as exc:  # plain `vetgraph`: the help
            click.echo(exc.ctx.get_help() if exc.ctx is not None else exc.format_message())
            sys.exit(0)
        except click.UsageError as exc:
            where = exc.ctx.command_path if exc.ctx is not None else "vetgraph"
            message = exc.format_message()
            click.echo(f"error: {message[:1].lower()}{message[1:]}", err=True)
            click.echo(f"  hint: see '{where} --help'", err=True)
            sys.exit(ExitCode.BAD_INPUT)
        except click.ClickException as exc:
            click.echo(f"error: {exc.format_message()}", err=True)
            sys.exit(exc.exit_code)
        except click.Abort:  # Ctrl-C or end of input at a prompt
            click.echo("interrupted", err=True)
            sys.exit(ExitCode.INTERRUPTED)
        sys.exit(code if isinstance(code, int) else 0)

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        try:  # `vetgraph --help | head -1`: the help is printed while the options are read
            return super().make_context(*args, **kwargs)
        except BrokenPipeError:
            silence_stdout()
            raise click.exceptions.Exit(0) from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except VetgraphError as exc:
            _fail(ctx, f"error: {exc}", exc.exit_code)
        except KeyboardInterrupt:
            _fail(ctx, "interrupted", ExitCode.INTERRUPTED)
        except BrokenPipeError:  # the reader stopped early (`| head`): a normal end
            silence_stdout()
            ctx.exit(0)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as exc:  # a bug: say so plainly, keep the traceback for --debug
            _fail(
                ctx,
                f"internal error: {type(exc).__name__}: {exc}\n"
                "  hint: this is a bug in vetgraph; rerun with --debug and report the traceback",
                INTERNAL_ERROR,
            )


def _print_version(ctx: click.Context, value: bool) -> None:
    """``--version``: the version is read only when asked for (importlib.metadata is slow
    to import; click's own version_option reads it for every command)."""
    if value and not ctx.resilient_parsing:
        click.echo(f"vetgraph, version {version()}")
        ctx.exit()


def _fail(ctx: click.Context, message: str, code: int) -> None:
    if (ctx.obj or {}).get("debug"):
        traceback.print_exc()
    click.echo(message, err=True)
    ctx.exit(int(code))


@click.group(
    "vetgraph", cls=VetgraphGroup, context_settings={"help_option_names": ["-h", "--help"]}
)
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=lambda ctx, _param, value: _print_version(ctx, value),
    help="Show the version and exit.",
)
@click.option("--debug", is_flag=True, help="Show the full traceback when something fails.")
@click.option("-q", "--quiet", is_flag=True, help="No progress display and no summary.")
@click.pass_context
def cli(ctx: click.Context, debug: bool, quiet: bool) -> None:
    """vetgraph: the knowledge graph of EU vocational education and training policy.

    Build, validate, query, explore and publish the graph. Every fact carries its source.
    """
    ctx.ensure_object(dict)
    ctx.obj.update(debug=debug, quiet=quiet)


for command in (
    build.build,
    build.validate,
    build.stats,
    publish.export,
    publish.diff,
    explore.viz,
    explore.path,
    explore.analyze,
    queries.queries_command,
    queries.query,
    endpoint.push,
    endpoint.serve,
    stores.load,
    stores.cache,
):
    cli.add_command(command)


def main() -> None:
    """Console-script entry point."""
    from vetgraph.sparql import deadline

    deadline.own_process()  # a query past its time limit is stopped by ending the process
    try:
        cli.main(prog_name="vetgraph", obj={})
    except SystemExit as done:
        try:  # what is still buffered goes out now, while a closed pipe can be handled
            sys.stdout.flush()
        except BrokenPipeError:
            silence_stdout()
        if not deadline.abandoned():
            raise
        # A stopped query still runs in its thread (Oxigraph cannot cancel it): end now,
        # without waiting for it, once what was printed is out.
        import contextlib
        import os

        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        os._exit(done.code if isinstance(done.code, int) else 1)
