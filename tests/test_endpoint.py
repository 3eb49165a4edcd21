"""The remote-endpoint adapter against a scripted server: what it sends, how it waits and
retries, how it authenticates, and every way an answer can be unusable (a clear error and
exit code 3, never a traceback, never a password)."""

from __future__ import annotations

import base64
import email.utils
import time

import pyoxigraph as ox
import pytest

from vetgraph.errors import InputError, RemoteError
from vetgraph.graph.release import version
from vetgraph.graph.store import KnowledgeGraph
from vetgraph.sparql.answers import read_results
from vetgraph.sparql.auth import ENV_AUTH, ENV_PASSWORD, ENV_USER, Credentials, redact
from vetgraph.sparql.endpoint import Endpoint
from vetgraph.sparql.results import materialize
from vetgraph.sparql.running import prepare
from vetgraph.sparql.server import free_port
from vetgraph.sparql.transport import Response

from .fakeserver import JSON, SELECT_JSON, FakeServer, Reply

SECRET = "s3cr3t-Pa55word"


@pytest.fixture
def server():
    fake = FakeServer().start()
    yield fake
    fake.stop()


@pytest.fixture(autouse=True)
def no_credentials(monkeypatch):
    for name in (ENV_USER, ENV_PASSWORD, ENV_AUTH):
        monkeypatch.delenv(name, raising=False)


def _select(endpoint: Endpoint, text: str = "SELECT ?x WHERE { ?s ?p ?x }"):
    return materialize(endpoint.execute(prepare(text, backend=endpoint)))


# -- what is sent -------------------------------------------------------------------------------


def test_requests_use_the_protocol_with_content_negotiation_only(server):
    server.replies = [Reply(200, SELECT_JSON, JSON)]
    rows = _select(Endpoint(server.url, credentials=None))
    assert [r["x"].value for r in rows] == ["1"]
    seen = server.seen[0]
    assert seen.method == "POST" and seen.path == "/sparql"  # nothing in the URL
    assert seen.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert set(seen.form) == {"query"}  # no format= or output= parameters
    assert seen.form["query"] == ["SELECT ?x WHERE { ?s ?p ?x }"]
    assert seen.headers["Accept"].startswith("application/sparql-results+json")
    agent = seen.headers["User-Agent"]
    assert agent.startswith(f"vetgraph/{version()} ") and "(+https://w3id.org/vetgraph)" in agent
    assert version() != "0+unknown"  # the version is read under the distribution's name


def test_select_star_is_sent_with_the_columns_in_the_querys_order(server):
    # Every engine answers SELECT * in its own order (Oxigraph by name): the projection is
    # written out, so remote and local answers have the same columns in the same order.
    server.replies = [Reply(200, SELECT_JSON, JSON)]
    _select(Endpoint(server.url, credentials=None), "SELECT * WHERE { ?zeta ?p ?alpha }")
    assert server.seen[0].form["query"] == ["SELECT ?zeta ?p ?alpha WHERE { ?zeta ?p ?alpha }"]


def test_construct_asks_for_rdf_and_reads_it(server):
    server.replies = [
        Reply(
            200,
            b"<http://e/a> <http://e/p> _:b . _:b <http://e/q> 1 .",
            {"Content-Type": "text/turtle"},
        )
    ]
    endpoint = Endpoint(server.url, credentials=None)
    triples = endpoint.execute(prepare("CONSTRUCT WHERE { ?s ?p ?o }", backend=endpoint))
    assert len(triples) == 2
    assert server.seen[0].headers["Accept"].startswith("text/turtle")


def test_a_comment_that_mentions_an_update_keyword_is_still_a_query(server):
    # SPARQLWrapper would read "address" in a comment as ADD and send an update
    server.replies = [Reply(200, SELECT_JSON, JSON)]
    _select(Endpoint(server.url, credentials=None), "# the address\n# of\nSELECT ?x WHERE { }")
    assert "query" in server.seen[0].form and "update" not in server.seen[0].form


def test_queries_are_checked_locally_before_anything_is_sent(server, invoke):
    server.replies = [Reply(200, SELECT_JSON, JSON)]
    result = invoke("query", "--endpoint", server.url, "--sparql", "SELECT ?x WHERE { ?x ")
    assert result.exit_code == 2
    assert "--sparql:1:22: SPARQL syntax error" in result.output
    assert server.seen == []


# -- waiting and retrying ----------------------------------------------------------------------


def test_busy_server_is_retried_honouring_retry_after(server):
    server.replies = [
        Reply(503, b"busy", {"Retry-After": "2"}),
        Reply(429, b"", {"Retry-After": email.utils.formatdate(time.time() + 3, usegmt=True)}),
        Reply(200, SELECT_JSON, JSON),
    ]
    waits: list[float] = []
    rows = _select(Endpoint(server.url, credentials=None, sleep=waits.append))
    assert len(rows) == 1 and len(server.seen) == 3
    assert waits[0] == 2.0 and 1.0 < waits[1] <= 3.0


def test_backoff_doubles_and_gives_up_after_the_retries(server):
    page = b"<html><body>Bad gateway</body></html>"
    server.replies = [Reply(502, page, {"Content-Type": "text/html"})]
    waits: list[float] = []
    endpoint = Endpoint(server.url, credentials=None, retries=3, backoff=0.5, sleep=waits.append)
    with pytest.raises(RemoteError, match=r"failed to answer the query \(HTTP 502\): Bad gateway"):
        _select(endpoint)
    assert waits == [0.5, 1.0, 2.0] and len(server.seen) == 4


def test_a_dropped_connection_is_retried_for_a_query_but_not_for_an_update(server):
    server.replies = [Reply(hang_up=True), Reply(200, SELECT_JSON, JSON)]
    endpoint = Endpoint(server.url, credentials=None, sleep=lambda _: None)
    assert len(_select(endpoint)) == 1 and len(server.seen) == 2
    server.seen.clear()
    server.replies = [Reply(hang_up=True), Reply(200)]
    with pytest.raises(RemoteError, match="may or may not have been applied"):
        endpoint.update("INSERT DATA { <http://e/a> <http://e/p> 1 }")
    assert len(server.seen) == 1  # not sent twice


def test_retry_after_beyond_the_limit_is_not_waited_for(server):
    server.replies = [Reply(503, b"", {"Retry-After": "3600"})]
    with pytest.raises(RemoteError, match="asks to retry after 3600 s"):
        _select(Endpoint(server.url, credentials=None, sleep=pytest.fail))


def test_errors_that_are_not_transient_are_not_retried(server):
    server.replies = [Reply(500, b"Virtuoso 37000 Error SP030: SPARQL compiler, line 1")]
    with pytest.raises(RemoteError, match=r"HTTP 500\): Virtuoso 37000 Error SP030"):
        _select(Endpoint(server.url, credentials=None, sleep=pytest.fail))
    assert len(server.seen) == 1


# -- unusable answers: the CLI says so and exits 3 ------------------------------------------------


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        (
            Reply(200, b"<!DOCTYPE html><html>Welcome</html>", {"Content-Type": "text/html"}),
            "answered a web page (HTML), not SPARQL results",
        ),
        (
            Reply(200, b"<html><body>hi</body></html>", JSON),  # HTML that claims to be JSON
            "answered a web page (HTML), not SPARQL results",
        ),
        (Reply(200, b"", JSON), "answered HTTP 200 with an empty body"),
        (Reply(200, b'{"head": {', JSON), "cannot read as SELECT results"),
        (Reply(200, b"x,y\n1,2\n", {"Content-Type": "text/csv"}), "cannot read as SELECT results"),
        (Reply(404, b"Not found"), "nothing at http://127.0.0.1:"),
        (Reply(400, b"Parse error near line 1"), "rejected the query as malformed (HTTP 400)"),
        (Reply(401, b"", {"WWW-Authenticate": 'Basic realm="x"'}), "requires authentication"),
        (
            Reply(301, b"", {"Location": "https://example.org/sparql"}),
            "redirects to https://example.org/sparql (HTTP 301)",
        ),
    ],
)
def test_unusable_answers_are_clear_errors(server, invoke, reply, message):
    server.replies = [reply]
    result = invoke("query", "--endpoint", server.url, "--sparql", "SELECT ?x WHERE { }")
    assert result.exit_code == 3, result.output
    assert message in result.output
    assert "Traceback" not in result.output


def test_refused_connection(invoke):
    url = f"http://127.0.0.1:{free_port()}/sparql"  # nothing listens there
    result = invoke("query", "--endpoint", url, "--sparql", "ASK { }")
    assert result.exit_code == 3
    assert f"{url} refused the connection" in result.output
    assert "is the server running" in result.output


def test_read_timeout(server, invoke):
    server.replies = [Reply(200, SELECT_JSON, JSON, delay=2.0)]
    started = time.monotonic()
    result = invoke(
        "query", "--endpoint", server.url, "--sparql", "SELECT ?x WHERE { }", "--timeout", "0.3"
    )
    assert result.exit_code == 3
    assert "did not answer within 0.3 s" in result.output
    assert time.monotonic() - started < 1.8  # not retried


def test_unknown_host(invoke, monkeypatch):
    import socket

    def no_such_host(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)  # no DNS lookup in tests
    result = invoke("query", "--endpoint", "http://no-such-host.invalid/q", "--sparql", "ASK {}")
    assert result.exit_code == 3
    assert "cannot find the host" in result.output


# -- authentication, without ever echoing the password -------------------------------------------


def _basic_only(user: str, password: str):
    expected = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()

    def script(seen):
        if seen.headers.get("Authorization") != expected:
            # a careless server that echoes what it was sent
            return Reply(
                401,
                f"denied for {seen.headers.get('Authorization')} {password}".encode(),
                {"WWW-Authenticate": 'Basic realm="sparql"'},
            )
        return Reply(200, SELECT_JSON, JSON)

    return script


def test_basic_auth_answers_the_challenge(server, monkeypatch):
    server.script = _basic_only("alice", SECRET)
    monkeypatch.setenv(ENV_USER, "alice")
    monkeypatch.setenv(ENV_PASSWORD, SECRET)
    assert len(_select(Endpoint(server.url))) == 1
    assert "Authorization" not in server.seen[0].headers  # auto: wait for the challenge
    assert server.seen[-1].headers["Authorization"].startswith("Basic ")


def test_basic_auth_sent_first_when_asked(server, monkeypatch):
    server.script = _basic_only("alice", SECRET)
    monkeypatch.setenv(ENV_USER, "alice")
    monkeypatch.setenv(ENV_PASSWORD, SECRET)
    monkeypatch.setenv(ENV_AUTH, "basic")
    assert len(_select(Endpoint(server.url))) == 1
    assert len(server.seen) == 1


def test_wrong_credentials_are_refused_and_never_echoed(server, invoke, monkeypatch):
    server.script = _basic_only("alice", "the right one")
    monkeypatch.setenv(ENV_USER, "alice")
    monkeypatch.setenv(ENV_PASSWORD, SECRET)
    for debug in ((), ("--debug",)):
        result = invoke("query", "--endpoint", server.url, "--sparql", "ASK { }", *debug)
        assert result.exit_code == 3
        assert f"refused the credentials in {ENV_USER}/{ENV_PASSWORD}" in result.output
        assert SECRET not in result.output
        assert base64.b64encode(f"alice:{SECRET}".encode()).decode() not in result.output


def test_credentials_are_not_taken_from_the_url(invoke):
    url = f"http://alice:{SECRET}@127.0.0.1:1/sparql"
    result = invoke("query", "--endpoint", url, "--sparql", "ASK {}")
    assert result.exit_code == 2
    assert "put credentials in the environment" in result.output
    assert SECRET not in result.output


def test_credentials_from_the_environment(monkeypatch):
    assert Credentials.from_env({}) is None
    creds = Credentials.from_env({ENV_USER: "u", ENV_PASSWORD: SECRET, ENV_AUTH: "Digest"})
    assert creds is not None and creds.scheme == "digest"
    assert SECRET not in repr(creds)
    with pytest.raises(InputError, match=f"{ENV_PASSWORD} is not set"):
        Credentials.from_env({ENV_USER: "u"})
    with pytest.raises(InputError, match="one of auto, basic, digest"):
        Credentials.from_env({ENV_USER: "u", ENV_PASSWORD: "p", ENV_AUTH: "kerberos"})
    assert redact(f"http://u:{SECRET}@h:1/s") == "http://h:1/s"


# -- reading other engines' answers ---------------------------------------------------------


def test_virtuoso_ask_and_blank_nodes_are_read_as_standard_results():
    ask = Response(
        200,
        "application/sparql-results+json",
        b'{"head":{"vars":["__ASK_RETVAL"]},"results":{"bindings":[{"__ASK_RETVAL":'
        b'{"type":"typed-literal","datatype":"http://www.w3.org/2001/XMLSchema#integer",'
        b'"value":"1"}}]}}',
        None,
    )
    assert read_results(ask, "ASK", "http://h/sparql") is True
    select = Response(
        200,
        "application/sparql-results+json",
        b'{"head":{"vars":["s","n"]},"results":{"bindings":[{"s":{"type":"bnode","value":'
        b'"nodeID://b10000"},"n":{"type":"typed-literal","datatype":'
        b'"http://www.w3.org/2001/XMLSchema#decimal","value":"1.5"}}]}}',
        None,
    )
    rows = list(read_results(select, "SELECT", "http://h/sparql"))
    assert isinstance(rows[0]["s"], ox.BlankNode)
    assert rows[0]["n"] == ox.Literal(
        "1.5", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")
    )


def test_a_boolean_for_a_select_is_an_error():
    answer = Response(200, "application/sparql-results+json", b'{"head":{},"boolean":true}', None)
    with pytest.raises(RemoteError, match="a boolean answer to a SELECT query"):
        read_results(answer, "SELECT", "http://h/sparql")


# -- push: Graph Store Protocol, and SPARQL Update when the store lacks it ------------------------

DATASET = """
<https://w3id.org/vetgraph/claim/a> {
  <https://w3id.org/vetgraph/id/x> <http://e/p> "1" , _:c .
  _:c <http://e/q> _:d . _:d <http://e/q> "deep" .
}
<https://w3id.org/vetgraph/graph/provenance> {
  <https://w3id.org/vetgraph/claim/a> <http://e/cites> [ <http://e/s> "Section" ; <http://e/n> 1 ] .
}
<http://e/default-triple> <http://e/p> "in the default graph" .
"""


@pytest.fixture
def small():
    kg = KnowledgeGraph()
    kg.store.load(DATASET.encode(), ox.RdfFormat.TRIG)
    return kg


def _canonical(store: ox.Store) -> set[ox.Quad]:
    dataset = ox.Dataset(store)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return set(dataset)


def test_push_uses_the_graph_store_protocol(server, small):
    server.replies = [Reply(201)]
    report = Endpoint(server.url, credentials=None).push(small)
    assert report.method == "Graph Store Protocol" and report.graphs == 2
    assert report.triples == len(small)
    received = ox.Store()
    for seen in server.seen:
        assert seen.headers["Content-Type"].startswith("text/turtle")
        graph = seen.query.get("graph")
        if graph:
            assert seen.method == "PUT"  # named graphs are replaced: pushing twice is safe
            target = ox.NamedNode(graph[0])
        else:
            assert seen.method == "POST" and "default" in seen.query  # merged, never replaced
            target = ox.DefaultGraph()
        received.load(seen.body, ox.RdfFormat.TURTLE, to_graph=target)
    assert _canonical(received) == _canonical(small.store)


def test_push_falls_back_to_sparql_update_in_batches(server, small):
    # a SPARQL endpoint without the Graph Store Protocol: requests with ?graph= or ?default fail
    server.script = lambda seen: Reply(405) if seen.query else Reply(200)
    report = Endpoint(server.url, credentials=None).push(small, batch_size=1)
    assert report.method == "SPARQL Update"
    updates = [s.form["update"][0] for s in server.seen if not s.query]
    assert "DROP SILENT GRAPH <https://w3id.org/vetgraph/claim/a>" in updates
    replayed = ox.Store()
    for update in updates:
        replayed.update(update)  # blank nodes kept together: each batch holds a whole group
    assert _canonical(replayed) == _canonical(small.store)


def test_updates_too_large_for_the_store_are_split(server, small):
    # like Virtuoso's "generated SQL text has exceeded 10000 lines": refuse long updates
    def script(seen):
        if seen.query:
            return Reply(405)
        too_long = len(seen.form["update"][0]) > 330
        return Reply(500, b"SP031: SQL text too long") if too_long else Reply(200)

    server.script = script
    Endpoint(server.url, credentials=None).push(small)
    replayed = ox.Store()
    for seen in server.seen:
        if not seen.query and len(seen.form["update"][0]) <= 330:
            replayed.update(seen.form["update"][0])
    assert _canonical(replayed) == _canonical(small.store)


def test_push_into_one_graph(server, small):
    server.replies = [Reply(204)]
    report = Endpoint(server.url, credentials=None).push(small, graph="http://e/all")
    assert report.graphs == 1 and [s.query["graph"] for s in server.seen] == [["http://e/all"]]


def test_push_failure_is_a_clear_error(server, invoke, small):
    server.script = lambda seen: Reply(403, b"The server is read-only")
    result = invoke("push", "--endpoint", server.url, "-q")
    assert result.exit_code == 3
    assert "refused the upload (HTTP 403 Forbidden): The server is read-only" in result.output


def test_gsp_only_push_reports_a_missing_graph_store(server, invoke):
    server.replies = [Reply(405, b"Method not allowed")]
    result = invoke("push", "--endpoint", server.url, "--method", "gsp", "-q")
    assert result.exit_code == 3
    assert "does not accept Graph Store uploads" in result.output


# -- the bad-input catalogue: every fault through the CLI, retried where transient ----------------


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        (Reply(403, b"Forbidden: read-only"), "refused the query (HTTP 403 Forbidden): Forbidden"),
        (
            Reply(500, b"<html><body><h1>Internal error</h1></body></html>"),
            "failed to answer the query (HTTP 500): Internal error",
        ),
        (
            Reply(200, b'{"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"ty', JSON),
            "cannot read as SELECT results",
        ),
    ],
)
def test_faults_that_are_not_transient_are_one_clear_error(server, invoke, reply, message):
    server.replies = [reply]
    result = invoke("query", "--endpoint", server.url, "--sparql", "SELECT ?x WHERE { }")
    assert result.exit_code == 3, result.output
    assert message in result.stderr
    assert len(server.seen) == 1  # not retried
    assert result.stdout == "" and "Traceback" not in result.stderr


def test_a_busy_endpoint_is_retried_then_named_in_a_final_error(server, invoke):
    server.replies = [Reply(503, b"Service Unavailable", {"Retry-After": "0"})]
    result = invoke("query", "--endpoint", server.url, "--sparql", "SELECT ?x WHERE { }")
    assert result.exit_code == 3
    assert "failed to answer the query (HTTP 503): Service Unavailable" in result.stderr
    assert len(server.seen) == 4  # the first try and 3 retries


def test_a_busy_endpoint_that_recovers_answers(server, invoke):
    server.replies = [
        Reply(503, b"", {"Retry-After": "0"}),
        Reply(502, b"", {"Retry-After": "0"}),
        Reply(200, SELECT_JSON, JSON),
    ]
    result = invoke("query", "--endpoint", server.url, "--sparql", "SELECT ?x WHERE { }")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[2] == "1"
    assert len(server.seen) == 3


def test_a_body_cut_short_by_a_closed_connection_is_retried(server, invoke):
    cut = Reply(200, SELECT_JSON[:20], JSON, declared_length=len(SELECT_JSON))
    server.replies = [cut, Reply(200, SELECT_JSON, JSON)]
    result = invoke("query", "--endpoint", server.url, "--sparql", "SELECT ?x WHERE { }")
    assert result.exit_code == 0, result.output
    assert len(server.seen) == 2
    server.seen.clear()
    server.replies = [cut]
    endpoint = Endpoint(server.url, credentials=None, sleep=lambda _: None)
    with pytest.raises(RemoteError, match="closed the connection before answering, 4 times"):
        _select(endpoint)


def test_a_slow_drip_is_stopped_at_the_time_limit(server, invoke):
    # Regression: each read waited up to --timeout, so an endpoint that sent a byte now and
    # then could hold vetgraph for ever. The whole answer now has --timeout seconds.
    server.replies = [Reply(200, SELECT_JSON, JSON, drip=0.05)]  # about 4.5 s in all
    started = time.monotonic()
    result = invoke(
        "query", "--endpoint", server.url, "--sparql", "SELECT ?x WHERE { }", "--timeout", "1"
    )
    assert result.exit_code == 3
    assert "sent its answer too slowly:" in result.stderr
    assert "past the limit of 1 s" in result.stderr
    assert time.monotonic() - started < 4  # the whole drip takes 4.5 s
    assert len(server.seen) == 1  # a slow endpoint is not asked again


def test_no_time_limit_waits_for_a_slow_endpoint(server, invoke):
    server.replies = [Reply(200, SELECT_JSON, JSON, delay=0.3, drip=0.005)]
    result = invoke(
        "query", "--endpoint", server.url, "--sparql", "SELECT ?x WHERE { }", "--timeout", "0"
    )
    assert result.exit_code == 0, result.output


def test_limit_goes_to_the_endpoint_in_the_query(server, invoke):
    server.replies = [Reply(200, SELECT_JSON, JSON)]
    result = invoke(
        "query",
        "--endpoint",
        server.url,
        "--sparql",
        "SELECT ?x WHERE { ?x ?p ?o }",
        "--limit",
        "5",
    )
    assert result.exit_code == 0
    assert server.seen[0].form["query"] == ["SELECT ?x WHERE { ?x ?p ?o } LIMIT 5"]


def test_a_refused_update_never_reaches_the_endpoint(server, invoke):
    server.replies = [Reply(200, b"", JSON)]
    result = invoke("query", "--endpoint", server.url, "--sparql", "DROP ALL")
    assert result.exit_code == 2
    assert server.seen == []


@pytest.mark.parametrize("idempotent", [True, False])
def test_an_upload_broken_off_while_sent_is_retried_only_when_idempotent(server, idempotent):
    """Regression: a Graph Store PUT to Virtuoso's digest-protected endpoint failed with
    "cannot reach ...: [Errno 32] Broken pipe" when the server answered its challenge and
    closed the connection before reading the whole upload. A PUT is sent again; a POST,
    which may have been applied, is not."""
    import urllib.error
    import urllib.request

    server.replies = [Reply(204)]
    endpoint = Endpoint(server.url, credentials=None, sleep=lambda _: None)
    opener = endpoint.transport._opener
    calls: list[str] = []

    class BreaksOnce:
        def open(self, request, timeout=None):
            calls.append(request.get_method())
            if len(calls) == 1:  # what urllib raises when the send hits a closed socket
                raise urllib.error.URLError(BrokenPipeError(32, "Broken pipe"))
            return opener.open(request, timeout=timeout)

    endpoint.transport._opener = BreaksOnce()
    verb = "PUT" if idempotent else "POST"
    request = urllib.request.Request(server.url, data=b"<http://e/s> <http://e/p> 1 .", method=verb)
    if idempotent:
        assert endpoint.send(request, what="upload", idempotent=True).status == 204
        assert calls == ["PUT", "PUT"] and len(server.seen) == 1
    else:
        with pytest.raises(RemoteError, match="may or may not have been applied"):
            endpoint.send(request, what="upload", idempotent=False)
        assert calls == ["POST"] and server.seen == []
