"""The bad-input catalogue, SPARQL: broken queries, updates, remote calls, hostile parameters,
answers of millions of rows and queries that run too long. Each gets a clear message, a
documented exit code, and no output half-written."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from vetgraph.cli.queries import QUERY_TIMEOUT
from vetgraph.sparql.backend import LocalBackend
from vetgraph.sparql.results import materialize
from vetgraph.sparql.running import prepare
from vetgraph.sparql.server import free_port

from .conftest import FIXTURES

BASE = FIXTURES / "base.trig"
#: A query that runs for minutes on the bundled graph: a three-way cross product.
FOREVER = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f }"
#: Millions of rows: every pair of triples of the bundled graph (about 40 million).
MILLIONS = "SELECT * WHERE { ?a ?p ?b . ?c ?q ?d }"


def children_of(pid: int) -> list[int]:
    """Processes whose parent is ``pid`` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


# -- syntax errors: line and column of the user's text --------------------------------------------


@pytest.mark.parametrize(
    ("args", "where"),
    [
        (["--sparql", "SELECT ?s WHERE {\n  ?s ?p \n}"], "--sparql:3:2:"),
        # the position is the user's, across the VALUES block a parameter adds
        (
            ["--sparql", "SELECT ?s WHERE { ?s ?p ?o \n FILTER(?o = ) }", "-p", "o=x"],
            "--sparql:2:17:",
        ),
        # ... and across the LIMIT that --limit adds or lowers
        (
            ["--sparql", "SELECT ?s { ?s ?p ?o } LIMIT 100 VALUES ?s { <x:a> ] }", "--limit", "5"],
            "--sparql:1:55:",
        ),
    ],
)
def test_syntax_errors_name_line_and_column(args, where, invoke):
    result = invoke("query", *args)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"error: {where} SPARQL syntax error: ")
    assert result.stdout == ""
    assert "Traceback" not in result.stderr


def test_a_syntax_error_in_a_query_file_names_the_file(invoke, write):
    bad = write("bad.rq", "PREFIX ex: <http://example.org/>\nSELECT * WHERE { ex:a ex:b }\n")
    result = invoke("query", "--file", str(bad))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {bad}:2:28: SPARQL syntax error: ")


# -- updates and remote calls are refused ---------------------------------------------------------


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { <http://e/a> <http://e/p> 1 }",
        "DELETE WHERE { ?s ?p ?o }",
        "DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
        "WITH <http://e/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
        "LOAD <file:///etc/passwd>",
        "LOAD <file:///etc/passwd> INTO GRAPH <http://e/g>",
        "CLEAR ALL",
        "DROP ALL",
        "CREATE GRAPH <http://e/g>",
        "ADD DEFAULT TO <http://e/g>",
        "MOVE DEFAULT TO <http://e/g>",
        "COPY DEFAULT TO <http://e/g>",
        "PREFIX ex: <http://example.org/>\n# a comment\nINSERT DATA { ex:a ex:b 1 }",
    ],
)
def test_sparql_update_is_refused(update, invoke, tmp_path):
    out = tmp_path / "answer.txt"
    result = invoke("query", "--sparql", update, "-o", str(out))
    assert result.exit_code == 2
    assert "is a SPARQL Update" in result.stderr and "which vetgraph does not run" in result.stderr
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_an_update_after_a_query_is_a_syntax_error(invoke):
    result = invoke("query", "--sparql", "SELECT * WHERE { } ; DROP ALL")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: --sparql:1:26: SPARQL syntax error")


def test_service_is_refused_unless_allowed(invoke):
    text = "SELECT * WHERE {\n  SERVICE <http://example.org/sparql> { ?s ?p ?o } }"
    result = invoke("query", "--sparql", text)
    assert result.exit_code == 2
    assert "--sparql:2:3: this query calls a remote endpoint (SERVICE)" in result.stderr
    assert "--allow-service" in result.stderr


@pytest.mark.parametrize(
    "target", ["<file:///etc/passwd>", "SILENT <file:///etc/passwd>", "<ftp://example.org/x>"]
)
def test_service_to_anything_but_http_is_refused_even_when_allowed(target, invoke):
    result = invoke(
        "query", "--allow-service", "--sparql", f"SELECT * {{ SERVICE {target} {{ ?s ?p ?o }} }}"
    )
    assert result.exit_code == 2
    assert "is not an http(s) endpoint" in result.stderr
    assert "root:" not in result.output


def test_a_failing_service_is_a_remote_error_not_a_crash(invoke):
    # Regression: Oxigraph calls the endpoint while the answer is read, and the OSError it
    # raised then escaped as an internal error (exit 70).
    url = f"http://127.0.0.1:{free_port()}/sparql"  # nothing listens there
    result = invoke(
        "query", "--allow-service", "--sparql", f"SELECT * {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"
    )
    assert result.exit_code == 3, result.output
    assert result.stderr.startswith("error: --sparql: a SERVICE call failed: ")
    assert "internal error" not in result.stderr


# -- parameters never leave their slot ------------------------------------------------------------

HOSTILE = [
    '"> } ; DROP ALL #',
    'it\'s "quoted" \'\'\' """',
    "line one\nline two\r\nthree",
    "back\\slash \\u0022 \\n",
    "}} ) ; SELECT * WHERE { ?s ?p ?o }",
    "<not an IRI } DROP ALL { <x",
    "# not a comment",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_values_come_back_as_written_through_the_cli(value, invoke):
    result = invoke(
        "query",
        "--sparql",
        "SELECT ?v ?n WHERE { BIND (STRLEN(?v) AS ?n) }",
        "--param",
        f"v={value}",
        "--format",
        "json",
        "--input",
        str(BASE),
    )
    assert result.exit_code == 0, result.output
    [row] = json.loads(result.stdout)["results"]["bindings"]
    assert row["v"] == {"type": "literal", "value": value}
    assert int(row["n"]["value"]) == len(value)


@pytest.mark.parametrize(
    "value",
    ["<http://e/a> } DROP ALL { <x>", "<http://e/a>b>", '<http://e/a"b>', "<http://e/a\nb>"],
)
def test_iris_that_would_leave_their_slot_are_refused(value, invoke):
    result = invoke("query", "--sparql", "SELECT ?v WHERE { }", "--param", f"v={value}")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: parameter v: {value[1:-1]!r} is not a valid IRI")
    assert "write an IRI in full between < and >" in result.stderr


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_values_for_an_entity_parameter_find_no_entity(value, invoke):
    result = invoke("query", "sources-of-entity", "--param", f"entity={value}")
    assert result.exit_code == 2
    assert "parameter entity:" in result.stderr
    assert result.stdout == ""


def test_a_parameter_name_cannot_carry_sparql(invoke):
    result = invoke("query", "--sparql", "SELECT ?v WHERE { }", "--param", "v } DROP ALL {=1")
    assert result.exit_code == 2
    assert "has no variable ?v } DROP ALL {" in result.stderr


# -- millions of rows: --limit, and streaming in constant memory ----------------------------------


def _query_peak_mb(*args: str) -> tuple[int, int]:
    """Bytes written and peak memory (MB, with its query process) of `vetgraph query`."""
    process = subprocess.Popen(
        [sys.executable, "-m", "vetgraph.cli", "query", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert process.stdout is not None
    size = 0
    while chunk := process.stdout.read(1 << 20):
        size += len(chunk)
    process.stdout.close()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    assert process.returncode == 0
    return size, usage.ru_maxrss // 1024


def test_millions_of_rows_stream_in_constant_memory():
    few, few_peak = _query_peak_mb("--sparql", MILLIONS, "--limit", "1000", "--format", "csv")
    many, many_peak = _query_peak_mb("--sparql", MILLIONS, "--limit", "2000000", "--format", "csv")
    assert many > 500_000_000 > few  # half a gigabyte of CSV went through
    assert many_peak - few_peak < 40, (few_peak, many_peak)


def test_a_table_of_many_rows_streams_in_constant_memory():
    # Regression: the table format held every cell to size its columns (1.8 GB for 3
    # million rows). Now the first 1,000 rows size them and the rest stream.
    few, few_peak = _query_peak_mb("--sparql", MILLIONS, "--limit", "1000")
    many, many_peak = _query_peak_mb("--sparql", MILLIONS, "--limit", "250000")
    assert many > 50_000_000 > few
    assert many_peak - few_peak < 40, (few_peak, many_peak)


@pytest.mark.parametrize(
    ("text", "limit", "rows"),
    [
        (MILLIONS, 7, 7),
        (MILLIONS + " LIMIT 100", 5, 5),  # a LIMIT of the query's own is lowered
        (MILLIONS + " LIMIT 3", 5, 3),  # ... and never raised
        ("SELECT * WHERE { ?s ?p ?o } ORDER BY ?s OFFSET 10", 4, 4),
        ("SELECT * WHERE { ?s ?p ?o } VALUES ?p { rdfs:label skos:definition }", 6, 6),
        (
            "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p HAVING (COUNT(*) > 1)",
            2,
            2,
        ),
        ("SELECT * WHERE { { SELECT ?s WHERE { ?s ?p ?o } LIMIT 50 } }", 3, 3),
        (MILLIONS, 0, 0),
    ],
)
def test_limit_caps_the_rows(text, limit, rows, invoke):
    result = invoke("query", "--sparql", text, "--limit", str(limit), "--format", "json")
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)["results"]["bindings"]) == rows


def test_limit_caps_the_triples_of_a_construct(invoke):
    result = invoke(
        "query", "--sparql", "CONSTRUCT WHERE { ?s ?p ?o }", "--limit", "4", "--format", "nt"
    )
    assert result.exit_code == 0
    assert len(result.stdout.strip().splitlines()) == 4


def test_limit_is_sent_to_a_remote_endpoint(bundled):
    bound = prepare("SELECT * WHERE { ?s ?p ?o }", backend=LocalBackend(bundled), limit=10)
    assert bound.text.endswith("LIMIT 10")
    assert len(materialize(LocalBackend(bundled).execute(bound))) == 10


# -- a query that runs too long is stopped --------------------------------------------------------


def test_the_default_time_limit_is_30_seconds(invoke):
    assert QUERY_TIMEOUT == 30.0
    assert "--timeout SECONDS" in invoke("query", "--help").output
    assert "[default: 30.0;" in " ".join(invoke("query", "--help").output.split())


def test_a_query_past_its_time_limit_is_stopped(invoke, tmp_path):
    previous = tmp_path / "answer.csv"
    previous.write_text("the previous answer\n")
    started = time.monotonic()
    result = invoke("query", "--sparql", FOREVER, "--timeout", "1", "-o", str(previous))
    took = time.monotonic() - started
    assert result.exit_code == 5
    assert result.stderr.startswith(
        "error: --sparql: the query ran past its time limit of 1 s and was stopped"
    )
    assert "--timeout" in result.stderr
    assert 1 <= took < 15  # loading, 1 s, the kill: not the minutes the query needs
    # the query's process is gone, not left running, and nothing partial was written
    assert children_of(os.getpid()) == []
    assert previous.read_text() == "the previous answer\n"
    assert [p.name for p in tmp_path.iterdir()] == ["answer.csv"]


def test_a_stopped_stream_says_that_its_output_is_incomplete(invoke):
    result = invoke("query", "--sparql", MILLIONS, "--format", "csv", "--timeout", "0.5")
    assert result.exit_code == 5
    assert result.stdout.startswith("a,b,c,d,p,q")  # rows had been streamed
    assert "the output written before it stopped is incomplete" in result.stderr


# The `vetgraph` command owns its process: a query past its deadline runs in a thread, and
# the process ends with the error. Called in-process (the tests above, a notebook), the
# query runs in a forked child that is killed. Both ways are tested.


def vetgraph(*args: str, **kwargs) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "vetgraph.cli", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        **kwargs,
    )


def test_the_command_stops_a_query_past_its_time_limit(tmp_path):
    previous = tmp_path / "answer.csv"
    previous.write_text("the previous answer\n")
    started = time.monotonic()
    done = vetgraph("query", "--sparql", FOREVER, "--timeout", "1.5", "-o", str(previous))
    assert done.returncode == 5
    assert done.stderr.startswith(
        "error: --sparql: the query ran past its time limit of 1.5 s and was stopped\n"
    )
    assert "Traceback" not in done.stderr and "unsendable" not in done.stderr
    assert time.monotonic() - started < 15  # loading, 1.5 s, and out: not minutes
    assert previous.read_text() == "the previous answer\n"
    assert [p.name for p in tmp_path.iterdir()] == ["answer.csv"]


def test_the_command_says_a_stopped_stream_is_incomplete():
    done = vetgraph("query", "--sparql", MILLIONS, "--format", "tsv", "--timeout", "1")
    assert done.returncode == 5
    assert done.stdout.startswith("?a\t?b\t?c\t?d\t?p\t?q\n")
    assert done.stderr.splitlines()[0].endswith(
        "was stopped; the output written before it stopped is incomplete"
    )
    assert "unsendable" not in done.stderr


def test_ctrl_c_stops_a_running_query():
    process = subprocess.Popen(
        [sys.executable, "-m", "vetgraph.cli", "query", "--sparql", FOREVER],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    time.sleep(3)  # loaded, and the query running
    assert process.poll() is None
    started = time.monotonic()
    os.killpg(process.pid, signal.SIGINT)  # Ctrl-C: to the whole foreground group
    out, err = process.communicate(timeout=30)
    assert time.monotonic() - started < 10
    assert process.returncode == 130
    assert err.strip() == "interrupted" and out == ""
    with pytest.raises(ProcessLookupError):
        os.killpg(process.pid, 0)  # nothing of the group is left


def test_errors_of_the_command_keep_their_exit_code_and_say_nothing_more():
    done = vetgraph("query", "--sparql", "SELECT * WHERE { ?s ?p ?o FILTER(?o = ) }")
    assert done.returncode == 2
    assert done.stderr.startswith("error: --sparql:1:42: SPARQL syntax error")
    assert len(done.stderr.splitlines()) == 1
    url = f"http://127.0.0.1:{free_port()}/sparql"
    service = f"SELECT * {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"
    done = vetgraph("--debug", "query", "--allow-service", "--sparql", service)
    assert done.returncode == 3
    assert "Traceback" in done.stderr and "unsendable" not in done.stderr


def test_errors_in_the_query_process_keep_their_exit_code_and_debug_traceback(invoke):
    # the syntax error is found by Oxigraph, in the query's process
    result = invoke("query", "--sparql", "SELECT * WHERE { ?s ?p ?o FILTER(?o = ) }")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: --sparql:1:42: SPARQL syntax error")
    assert "Traceback" not in result.stderr
    debug = invoke("query", "--sparql", "SELECT * WHERE { ?s ?p ?o FILTER(?o = ) }", "--debug")
    assert debug.exit_code == 2
    assert "Traceback" in debug.stderr and "ChildTraceback" in debug.stderr


def test_a_bug_in_the_query_process_is_an_internal_error(invoke, monkeypatch):
    import vetgraph.sparql.results

    def broken(result, fmt, out):
        raise RuntimeError("kaboom")

    monkeypatch.setattr(vetgraph.sparql.results, "render", broken)
    result = invoke("query", "--sparql", "ASK { }")
    assert result.exit_code == 70
    assert "internal error: RuntimeError: kaboom" in result.stderr
    assert "Traceback" not in result.stderr
    assert "Traceback" in invoke("--debug", "query", "--sparql", "ASK { }").stderr


def test_a_query_process_killed_from_outside_is_reported(invoke, monkeypatch):
    import vetgraph.sparql.results

    def killed(result, fmt, out):
        os.kill(os.getpid(), signal.SIGKILL)  # as the kernel's out-of-memory killer would

    monkeypatch.setattr(vetgraph.sparql.results, "render", killed)
    result = invoke("query", "--sparql", "ASK { }")
    assert result.exit_code == 70
    assert "was killed by signal 9 (SIGKILL) (out of memory?)" in result.stderr


def test_no_time_limit_runs_in_process(invoke, monkeypatch):
    import vetgraph.sparql.deadline

    monkeypatch.setattr(vetgraph.sparql.deadline.os, "fork", pytest.fail)
    result = invoke("query", "--sparql", "ASK { }", "--timeout", "0")
    assert result.exit_code == 0 and result.stdout == "true\n"
