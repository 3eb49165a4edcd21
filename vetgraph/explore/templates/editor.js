// vetgraph query editor: the page. SPARQL runs in the browser (Oxigraph's WebAssembly build,
// vendored in assets/editor/oxigraph) over the published dataset beside this page.
"use strict";
(function () {
  const S = window.VetgraphSparql;
  const DATA = JSON.parse(document.getElementById("editor-data").textContent);
  const XSD = "http://www.w3.org/2001/XMLSchema#";
  const NUMBERS = ["integer", "decimal", "double", "float", "long", "int", "short",
    "nonNegativeInteger", "positiveInteger"].map((t) => XSD + t);
  const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"];
  const $ = (id) => document.getElementById(id);
  const examples = new Map(DATA.examples.map((e) => [e.name, e]));
  let store = null;
  let ready = null;
  let last = null; // {text, form, json, quads}

  let runs = 0;
  function status(text, state) {
    $("status").textContent = text;
    // for tests and scripts: body[data-state] says where the page is (loading, ready, done,
    // error, file), body[data-runs] counts the answers shown
    if (state) document.body.dataset.state = state;
  }

  async function engine() {
    try {
      await ready;
      return true;
    } catch (error) {
      return false;
    }
  }

  // -- the engine --------------------------------------------------------------------------
  async function load() {
    const base = document.baseURI;
    const oxigraph = await import(new URL("assets/editor/oxigraph/web.js", base).href);
    await oxigraph.default({
      module_or_path: new URL("assets/editor/oxigraph/web_bg.wasm", base),
    });
    const response = await fetch(new URL(DATA.dataset, base));
    if (!response.ok) throw new Error(`${DATA.dataset}: HTTP ${response.status}`);
    const text = await response.text();
    store = new oxigraph.Store();
    store.load(text, { format: "application/trig" });
    status(`Ready: ${store.size.toLocaleString("en")} triples from ${DATA.dataset}, queried in your browser.`, "ready");
  }

  function query(text, format) {
    const options = { use_default_graph_as_union: true };
    if (format) options.results_format = format;
    return store.query(text, options);
  }

  const ask = (text) => query(text) === true;
  function select(text) {
    return query(text).map((row) => {
      const out = {};
      for (const [key, term] of row) out[key] = term.value;
      return out;
    });
  }

  // -- running -----------------------------------------------------------------------------
  function showError(error) {
    $("error").hidden = !error;
    if (!error) return;
    $("error-sentence").textContent = error.sentence;
    $("error-excerpt").textContent = error.excerpt || "";
    $("error-excerpt").hidden = !error.excerpt;
  }

  async function runText(userText, sent, permalink) {
    showError(null);
    history.replaceState(null, "", permalink);
    $("permalink").href = permalink;
    status("Running…");
    if (!(await engine())) return;
    const started = performance.now();
    let result;
    try {
      const form = ["CONSTRUCT", "DESCRIBE"].includes(S.queryForm(sent)) ? "graph" : "rows";
      result = form === "graph" ? query(sent) : JSON.parse(query(sent, "application/sparql-results+json"));
      last = { text: sent, form };
    } catch (error) {
      const inserted = sent.length - userText.length;
      showError(S.syntaxError(error, userText, Math.max(0, inserted), DATA.prefixes));
      status("The query did not run.", "error");
      document.body.dataset.runs = String(++runs);
      return;
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    render(result);
    status(`Done in ${seconds} s.`, "done");
    document.body.dataset.runs = String(++runs);
  }

  function runEditor() {
    const text = $("sparql").value;
    const sent = S.missingPrefixes(text, DATA.prefixes) + text;
    return runText(text, sent, "#query=" + encodeURIComponent(text));
  }

  async function runExample(event) {
    if (event) event.preventDefault();
    const example = examples.get($("example").value);
    if (!example) return;
    $("param-error").textContent = "";
    if (!(await engine())) return;
    const terms = {};
    const link = new URLSearchParams({ example: example.name });
    try {
      for (const param of example.params) {
        const given = $("param-" + param.name).value;
        const value = given.trim() === "" ? param.default : given;
        if (value === null || value === undefined) {
          const e = param.example ? ` (e.g. ${param.example})` : "";
          throw new S.ValueError(`Give parameter ${param.name}: ${param.description}${e}.`);
        }
        if (given.trim() !== "") link.set(param.name, given);
        terms[param.name] = [S.typedValue(param, value, DATA.prefixes, ask, select)];
      }
    } catch (error) {
      if (!(error instanceof S.ValueError)) throw error;
      $("param-error").textContent = error.message;
      status("The query did not run: a parameter needs another value.", "error");
      document.body.dataset.runs = String(++runs);
      return;
    }
    const sent = S.bindTemplate(example, terms, DATA.placeholder);
    await runText(example.text, sent, "#" + link.toString());
  }

  // -- results -----------------------------------------------------------------------------
  function render(result) {
    const table = $("table");
    table.textContent = "";
    $("downloads").hidden = false;
    for (const button of $("downloads").querySelectorAll("button")) {
      const graph = ["ttl", "nt"].includes(button.dataset.format);
      button.hidden = graph !== (last.form === "graph");
    }
    if (last.form === "graph") {
      last.quads = result;
      $("summary").textContent = `${result.length.toLocaleString("en")} triples.`;
      const rows = result.map((q) => ({ subject: q.subject, predicate: q.predicate, object: q.object }));
      table.append(buildTable(["subject", "predicate", "object"], rows, termOf));
      return;
    }
    last.json = result;
    if (typeof result.boolean === "boolean") {
      $("summary").textContent = `The answer is ${result.boolean ? "yes" : "no"} (${result.boolean}).`;
      $("downloads").querySelectorAll("[data-format=csv],[data-format=tsv]").forEach((b) => (b.hidden = true));
      return;
    }
    const rows = result.results.bindings;
    $("summary").textContent = `${rows.length.toLocaleString("en")} ${rows.length === 1 ? "row" : "rows"}.`;
    table.append(buildTable(result.head.vars, rows, (x) => x));
  }

  function termOf(term) {
    if (term.termType === "NamedNode") return { type: "uri", value: term.value };
    if (term.termType === "BlankNode") return { type: "bnode", value: term.value };
    const out = { type: "literal", value: term.value };
    if (term.language) out["xml:lang"] = term.language;
    else out.datatype = term.datatype.value;
    return out;
  }

  const SHOWN = 2000;
  function buildTable(vars, rows, convert) {
    const table = document.createElement("table");
    const head = table.createTHead().insertRow();
    for (const name of vars) {
      const th = document.createElement("th");
      th.scope = "col";
      th.textContent = name;
      head.append(th);
    }
    const body = table.createTBody();
    for (const row of rows.slice(0, SHOWN)) {
      const tr = body.insertRow();
      for (const name of vars) tr.append(cell(row[name] ? convert(row[name]) : null));
    }
    if (rows.length > SHOWN) {
      const note = table.createCaption();
      note.textContent = `The first ${SHOWN} of ${rows.length} rows; the downloads hold all.`;
    }
    return table;
  }

  function cell(term) {
    const td = document.createElement("td");
    if (!term) return td;
    if (term.type === "uri") {
      const a = document.createElement("a");
      a.href = pageOf(term.value) || term.value;
      a.textContent = S.curie(term.value, DATA.prefixes);
      a.title = term.value;
      td.append(a);
    } else if (term.type === "bnode") {
      td.textContent = "_:" + term.value;
    } else {
      const datatype = term.datatype || "";
      const span = document.createElement("span");
      span.textContent = readable(term.value, datatype);
      if (datatype && datatype !== XSD + "string") {
        span.title = `${S.curie(datatype, DATA.prefixes)}: ${term.value}`;
      }
      td.append(span);
      if (NUMBERS.includes(datatype)) td.className = "number";
      if (term["xml:lang"]) {
        const lang = document.createElement("span");
        lang.className = "lang";
        lang.textContent = term["xml:lang"];
        lang.title = "language: " + term["xml:lang"];
        td.append(" ", lang);
      }
    }
    return td;
  }

  const ENTITY_NAME = /^[A-Za-z0-9][A-Za-z0-9._~-]*$/;
  function pageOf(iri) {
    for (const [namespace, folder] of Object.entries(DATA.pages)) {
      const name = iri.startsWith(namespace) ? iri.slice(namespace.length) : null;
      if (name && ENTITY_NAME.test(name) && !/\.(ttl|nt|jsonld|html)$/.test(name)) {
        return `${folder}${name}.html`;
      }
    }
    return null;
  }

  function readable(value, datatype) {
    const date = /^(-?\d{4,})-(\d{2})-(\d{2})(?:T(\d{2}:\d{2}))?/.exec(value);
    if ((datatype === XSD + "date" || datatype === XSD + "dateTime") && date) {
      const day = `${Number(date[3])} ${MONTHS[Number(date[2]) - 1]} ${date[1]}`;
      return date[4] ? `${day}, ${date[4]}` : day;
    }
    const month = /^(-?\d{4,})-(\d{2})$/.exec(value);
    if (datatype === XSD + "gYearMonth" && month) return `${MONTHS[Number(month[2]) - 1]} ${month[1]}`;
    if (NUMBERS.includes(datatype) && value !== "" && Number.isFinite(Number(value))) {
      const digits = (value.split(".")[1] || "").length;
      return Number(value).toLocaleString("en", { maximumFractionDigits: Math.min(digits, 20) });
    }
    return value;
  }

  // -- downloads ---------------------------------------------------------------------------
  const FORMATS = {
    csv: ["text/csv", "csv"],
    tsv: ["text/tab-separated-values", "tsv"],
    json: ["application/sparql-results+json", "json"],
    ttl: ["text/turtle", "ttl"],
    nt: ["application/n-triples", "nt"],
  };
  function download(format) {
    if (!last) return;
    const [media, suffix] = FORMATS[format];
    const text = format === "json" ? JSON.stringify(last.json) : query(last.text, media);
    const blob = new Blob([text], { type: media });
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = `vetgraph-results.${suffix}`;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  }

  // -- examples and their forms ------------------------------------------------------------
  function openExample(name, values) {
    const example = examples.get(name);
    $("about").hidden = !example;
    if (!example) return false;
    $("example").value = name;
    $("about-title").textContent = example.title;
    $("about-question").textContent = example.question || "";
    $("about-description").textContent = example.description;
    $("about-note").textContent = example.note || "";
    $("param-error").textContent = "";
    $("sparql").value = example.text;
    const fields = $("fields");
    fields.textContent = "";
    for (const param of example.params) fields.append(field(param, values));
    $("run-example").textContent = example.params.length ? "Run with these values" : "Run this query";
    return true;
  }

  function field(param, values) {
    const wrap = document.createElement("div");
    wrap.className = "field";
    const label = document.createElement("label");
    label.htmlFor = "param-" + param.name;
    const kind = param.cls ? S.curie(param.cls, DATA.prefixes) : param.type;
    label.textContent = `${param.name} (${kind})`;
    const input = document.createElement("input");
    input.id = "param-" + param.name;
    input.name = param.name;
    input.value = values.get(param.name) ?? param.example ?? "";
    input.placeholder = param.default ? `default: ${param.default}` : S.HOW_TO_WRITE[param.type];
    input.setAttribute("aria-describedby", "help-" + param.name);
    const help = document.createElement("p");
    help.id = "help-" + param.name;
    help.className = "help";
    help.textContent = `${param.description.replace(/[.]?$/, ".")} Write ${S.HOW_TO_WRITE[param.type]}.`;
    wrap.append(label, input, help);
    return wrap;
  }

  function fromFragment() {
    const fragment = new URLSearchParams(location.hash.slice(1));
    if (fragment.has("example") && openExample(fragment.get("example"), fragment)) {
      return runExample();
    }
    if (fragment.has("query")) {
      $("sparql").value = fragment.get("query");
      return runEditor();
    }
    return null;
  }

  // -- start -------------------------------------------------------------------------------
  function start() {
    if (location.protocol === "file:") {
      status("This editor cannot run from a file: open the site with `vetgraph serve`, or serve this folder with a static server (python -m http.server) and open it from there.");
      $("status").classList.add("warning");
      document.body.dataset.state = "file";
      document.querySelectorAll("button").forEach((b) => (b.disabled = true));
      return;
    }
    ready = load().catch((error) => {
      status(`The graph could not be loaded (${error.message}); serve the whole build folder, with ${DATA.dataset} beside this page.`, "error");
      throw error;
    });
    ready.catch(() => {});
    $("run").addEventListener("click", runEditor);
    $("params").addEventListener("submit", runExample);
    $("example").addEventListener("change", () => openExample($("example").value, new Map()));
    $("sparql").addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        runEditor();
      }
    });
    $("downloads").addEventListener("click", (event) => {
      if (event.target.dataset.format) download(event.target.dataset.format);
    });
    window.addEventListener("hashchange", fromFragment);
    fromFragment();
  }
  start();
})();
