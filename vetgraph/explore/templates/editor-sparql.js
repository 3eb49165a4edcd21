// vetgraph query editor: the SPARQL side, as the CLI does it (vetgraph/sparql/binding.py,
// values.py, entities.py, feedback.py). No DOM here; editor.js is the page.
"use strict";
(function () {
  const XSD = "http://www.w3.org/2001/XMLSchema#";
  const RDFS = "http://www.w3.org/2000/01/rdf-schema#";
  const DCT_TITLE = "http://purl.org/dc/terms/title";

  // -- lexing: just enough to find prefixed names and PREFIX declarations ------------------
  const TOKEN = new RegExp(
    [
      "(\\s+)",
      "(#[^\\n\\r]*)",
      "('''(?:(?:'|'')?(?:[^'\\\\]|\\\\.))*'''|\"\"\"(?:(?:\"|\"\")?(?:[^\"\\\\]|\\\\.))*\"\"\"" +
        "|'(?:[^'\\\\\\n\\r]|\\\\.)*'|\"(?:[^\"\\\\\\n\\r]|\\\\.)*\")",
      "(<[^<>\"{}|^`\\\\\\u0000-\\u0020]*>)",
      "([?$][\\p{L}\\p{N}_]+)",
      "((?:\\p{L}(?:[\\p{L}\\p{N}_.-]*[\\p{L}\\p{N}_-])?)?:(?:[\\p{L}\\p{N}_:%\\\\]" +
        "(?:[\\p{L}\\p{N}_.:%\\\\-]*[\\p{L}\\p{N}_:%\\\\-])?)?)",
      "(\\p{L}[\\p{L}\\p{N}_]*)",
      "([\\s\\S])",
    ].join("|"),
    "yu"
  );
  const KINDS = ["ws", "comment", "string", "iri", "var", "pname", "word", "punct"];

  function tokenize(text) {
    const tokens = [];
    TOKEN.lastIndex = 0;
    let match;
    while (TOKEN.lastIndex < text.length && (match = TOKEN.exec(text))) {
      const kind = KINDS[match.slice(1).findIndex((group) => group !== undefined)];
      if (kind !== "ws" && kind !== "comment") {
        tokens.push({ kind, text: match[0], start: match.index });
      }
    }
    return tokens;
  }

  // PREFIX lines for the project prefixes a query uses without declaring, on its first line
  // (so line numbers stay the user's), as binding.py's _missing_prefixes.
  function missingPrefixes(text, prefixes) {
    const tokens = tokenize(text);
    const declared = new Set();
    const used = new Set();
    tokens.forEach((token, i) => {
      if (token.kind === "word" && token.text.toUpperCase() === "PREFIX" && tokens[i + 1]) {
        declared.add(tokens[i + 1].text.slice(0, -1));
      } else if (token.kind === "pname") {
        used.add(token.text.split(":")[0]);
      }
    });
    return [...used]
      .filter((p) => !declared.has(p) && Object.hasOwn(prefixes, p))
      .sort()
      .map((p) => `PREFIX ${p}: <${prefixes[p]}> `)
      .join("");
  }

  // SELECT, ASK, CONSTRUCT or DESCRIBE: the first keyword after the PREFIX and BASE lines.
  function queryForm(text) {
    const word = tokenize(text).find(
      (t) => t.kind === "word" && !["PREFIX", "BASE"].includes(t.text.toUpperCase())
    );
    return word ? word.text.toUpperCase() : null;
  }

  // Oxigraph's "error at L:C: detail" placed in the user's text, in one sentence.
  function syntaxError(error, text, inserted, prefixes) {
    const message = String(error && error.message ? error.message : error);
    const found = /error at (\d+):(\d+): ([\s\S]*)/.exec(message);
    if (!found) return { sentence: message.replace(/^Error: /, ""), line: null };
    let line = Number(found[1]);
    let column = Number(found[2]);
    if (line === 1) column = Math.max(1, column - inserted);
    let detail = found[3].trim();
    const classes = /,\s*\[(?:'[^']*'|[^\]'])*\]/g;
    if (classes.test(detail)) {
      detail = detail.replace(classes, "").trim();
      if (detail.startsWith("expected")) detail += ", or a name or number";
    }
    const unknown = unknownPrefix(text, line, column, prefixes || {});
    if (unknown) {
      column = unknown.column;
      detail = `unknown prefix ${unknown.prefix}:; declare it with a PREFIX line, e.g. ` +
        `PREFIX ${unknown.prefix}: <http://example.org/ns#>`;
    }
    const source = (text.split("\n")[line - 1] || "").replace(/\r$/, "");
    const pad = source.slice(0, column - 1).replace(/[^\t]/g, " ");
    return {
      sentence: `Line ${line}, column ${column}: ${detail}.`,
      line,
      column,
      excerpt: `${source}\n${pad}^`,
    };
  }

  // A prefixed name that ends where Oxigraph stopped, with a prefix nobody declared: that
  // is the error (Oxigraph says only what it expected after it).
  function unknownPrefix(text, line, column, prefixes) {
    const lines = text.split("\n");
    const offset = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0) + column - 1;
    const tokens = tokenize(text);
    const declared = new Set(
      tokens
        .filter((t, i) => i > 0 && tokens[i - 1].kind === "word" && tokens[i - 1].text.toUpperCase() === "PREFIX")
        .map((t) => t.text.slice(0, -1))
    );
    const token = tokens.find(
      (t) =>
        t.kind === "pname" &&
        t.start < offset &&
        text.slice(t.start + t.text.length, offset).trim() === "" // it ends where Oxigraph stopped
    );
    if (!token) return null;
    const prefix = token.text.split(":")[0];
    if (declared.has(prefix) || Object.hasOwn(prefixes, prefix)) return null;
    const before = text.lastIndexOf("\n", token.start - 1);
    return { prefix, column: token.start - before };
  }

  // -- parameter values as RDF terms (values.py, entities.py) --------------------------------
  const LEXICAL = {
    integer: /^[+-]?[0-9]+$/,
    decimal: /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$/,
    date: /^(-?[0-9]{4,})-([0-9]{2})-([0-9]{2})(?:Z|[+-][0-9]{2}:[0-9]{2})?$/,
    gYear: /^-?[0-9]{4,}(?:Z|[+-][0-9]{2}:[0-9]{2})?$/,
    boolean: /^(?:true|false|1|0)$/,
  };
  const HOW_TO_WRITE = {
    iri: "a full IRI, a CURIE such as vg:bruges-communique, or a label or title",
    string: "any text",
    langString: "text@lang, e.g. Bruges Communiqué@en",
    integer: "a whole number, e.g. 12",
    decimal: "a decimal number, e.g. 2.5",
    date: "a date, YYYY-MM-DD",
    gYear: "a year, e.g. 2012",
    boolean: "true or false",
  };
  const LANGTAG = /^[A-Za-z]+(?:-[A-Za-z0-9]+)*$/;
  const ABSOLUTE_IRI = /^[A-Za-z][A-Za-z0-9+.-]*:(?:\/\/|(?<=urn:)|(?<=mailto:)|(?<=tag:))\S*$/;
  const IRI_FORBIDDEN = /[<>"{}|^`\\\u0000-\u0020]/;

  class ValueError extends Error {}

  function bad(name, type, text) {
    return new ValueError(
      `Parameter ${name}: “${text}” is not a ${type}; write ${HOW_TO_WRITE[type]}.`
    );
  }

  function literal(value, datatype, language) {
    return { type: "literal", value, datatype, language };
  }

  // An RDF term in SPARQL syntax; nothing in its value can leave its slot (sparql_term).
  function sparqlTerm(term) {
    if (term.type === "uri") {
      if (IRI_FORBIDDEN.test(term.value)) throw new ValueError(`“${term.value}” is not an IRI.`);
      return `<${term.value}>`;
    }
    const value = term.value
      .replace(/\\/g, "\\\\")
      .replace(/"/g, '\\"')
      .replace(/\n/g, "\\n")
      .replace(/\r/g, "\\r");
    if (term.language) return `"${value}"@${term.language}`;
    if (!term.datatype || term.datatype === XSD + "string") return `"${value}"`;
    return `"${value}"^^<${term.datatype}>`;
  }

  function fold(text) {
    const dashes = { "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-",
      "’": "'", "‘": "'", "“": '"', "”": '"' };
    const plain = text.replace(/[‐‑‒–—―’‘“”]/g, (c) => dashes[c]);
    const bare = plain.normalize("NFKD").replace(/\p{M}/gu, "");
    return bare.toLowerCase().split(/\s+/).filter(Boolean).join(" ");
  }

  function expand(text, prefixes) {
    if (!text.includes(":") || text.startsWith("<")) return null;
    const at = text.indexOf(":");
    const prefix = text.slice(0, at);
    const local = text.slice(at + 1);
    if (!Object.hasOwn(prefixes, prefix) || local.startsWith("//")) return null;
    return prefixes[prefix] + local;
  }

  function curie(iri, prefixes) {
    let best = null;
    for (const [prefix, namespace] of Object.entries(prefixes)) {
      if (iri.startsWith(namespace) && (!best || namespace.length > best[1].length)) {
        best = [prefix, namespace];
      }
    }
    return best ? `${best[0]}:${iri.slice(best[1].length)}` : iri;
  }

  // The entity a value names (resolve_entity): by IRI, CURIE, label or title, exactly or
  // else folded; of the parameter's class when it has one. `ask` and `select` run SPARQL.
  function resolveEntity(text, param, prefixes, ask, select) {
    const value = text.trim();
    const name = param.name;
    const cls = param.cls;
    let iri = null;
    if (value.startsWith("<") && value.endsWith(">")) iri = value.slice(1, -1);
    else iri = expand(value, prefixes) || (ABSOLUTE_IRI.test(value) ? value : null);
    const isA = (entity) =>
      ask(`ASK { <${entity}> a/<${RDFS}subClassOf>* <${cls}> }`);
    const exists = (entity) =>
      ask(`ASK { { <${entity}> ?p ?o } UNION { ?s ?p <${entity}> } }`);
    const kind = cls ? ` (${curie(cls, prefixes)})` : "";
    if (iri !== null) {
      if (IRI_FORBIDDEN.test(iri)) throw bad(name, "iri", value);
      if (cls ? isA(iri) : exists(iri)) return { type: "uri", value: iri };
      if (cls && exists(iri)) {
        throw new ValueError(
          `Parameter ${name}: ${curie(iri, prefixes)} is not ${article(name)} ${name}${kind}.`
        );
      }
      throw new ValueError(`Parameter ${name}: ${curie(iri, prefixes)} is not in the graph.`);
    }
    const names = select(
      `SELECT DISTINCT ?entity ?by ?name WHERE { VALUES ?by { <${RDFS}label> <${DCT_TITLE}> } ` +
        "?entity ?by ?name FILTER(isIRI(?entity)) }"
    );
    const exact = names.filter((row) => row.name === value);
    const key = fold(value);
    const folded = names.filter((row) => fold(row.name) === key);
    let wrong = [];
    for (const matches of [exact, folded]) {
      const entities = [...new Set(matches.map((row) => row.entity))];
      if (!entities.length) continue;
      let chosen;
      if (!cls) {
        const labelled = [...new Set(matches.filter((r) => r.by === RDFS + "label").map((r) => r.entity))];
        chosen = labelled.length ? labelled : entities;
      } else {
        chosen = entities.filter(isA);
        if (!chosen.length) {
          wrong = wrong.length ? wrong : entities;
          continue;
        }
      }
      if (chosen.length === 1) return { type: "uri", value: chosen[0] };
      const listed = chosen.map((e) => curie(e, prefixes)).sort().join(", ");
      throw new ValueError(
        `Parameter ${name}: the name “${value}” names ${chosen.length} entities (${listed}); name one by its CURIE or IRI.`
      );
    }
    if (wrong.length) {
      const listed = wrong.map((e) => curie(e, prefixes)).join(", ");
      throw new ValueError(
        `Parameter ${name}: “${value}” is ${listed}, not ${article(name)} ${name}${kind}.`
      );
    }
    throw new ValueError(
      `Parameter ${name}: no ${cls ? name + kind : "entity"} in the graph is labelled or titled “${value}”.`
    );
  }

  function article(word) {
    return /^[aeiou]/i.test(word) ? "an" : "a";
  }

  // One parameter value as an RDF term of its declared type (typed_value).
  function typedValue(param, text, prefixes, ask, select) {
    const type = param.type;
    if (type === "iri") return resolveEntity(text, param, prefixes, ask, select);
    if (type === "string") return literal(text);
    if (type === "langString") {
      const at = text.lastIndexOf("@");
      const lang = text.slice(at + 1);
      if (at < 0 || !LANGTAG.test(lang)) throw bad(param.name, type, text);
      return literal(text.slice(0, at), null, lang);
    }
    const value = text.trim();
    if (!LEXICAL[type].test(value)) throw bad(param.name, type, text);
    if (type === "date") {
      const [, year, month, day] = LEXICAL.date.exec(value).map(Number);
      if (month < 1 || month > 12 || day < 1 || day > 31) throw bad(param.name, type, text);
      if (String(LEXICAL.date.exec(value)[1]).length === 4) {
        const check = new Date(Date.UTC(year, month - 1, day));
        if (check.getUTCMonth() !== month - 1) throw bad(param.name, type, text);
      }
    }
    return literal(value, XSD + type);
  }

  // The library query with each parameter's terms in its placeholder's place.
  function bindTemplate(example, terms, placeholder) {
    let text = example.template;
    for (const param of example.params) {
      const slot = `"${placeholder}${param.name}"`;
      text = text.split(slot).join(terms[param.name].map(sparqlTerm).join(" "));
    }
    return text;
  }

  window.VetgraphSparql = {
    tokenize,
    missingPrefixes,
    queryForm,
    syntaxError,
    typedValue,
    bindTemplate,
    sparqlTerm,
    curie,
    fold,
    ValueError,
    HOW_TO_WRITE,
  };
})();
