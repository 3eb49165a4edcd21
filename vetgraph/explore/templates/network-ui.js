/* vetgraph's network page, the controls: details with their sources, search, legend and
 * filters, focus on the selection, layout after a filter, zoom, the path, and the URL
 * fragment that keeps all of it (#select=IRI&hide=...&focus=1&camera=x,y,ratio). */
(function () {
  "use strict";

  var P = window.vetgraphPage, V = window.vetgraphVendor;
  var N = P.N, n = P.n, sigma = P.sigma, graph = P.graph, page = P.page, state = P.state;
  var el = P.el, clear = P.clear, api = P.api;
  function $(id) { return document.getElementById(id); }
  var phone = window.matchMedia("(max-width: 760px)");

  /* -- header and footer ------------------------------------------------------------------ */
  $("vg-title").textContent = page.title;
  $("vg-subtitle").textContent = (page.subtitle ? page.subtitle + " \u00b7 " : "") +
    n + " entities, " + page.edges.length + " links";
  $("vg-footer").textContent = page.analysis.components + " connected component(s), " +
    page.analysis.communities + " communities (" + page.analysis.method + ")." +
    (page.analysis.betweenness_samples ? " Betweenness estimated from " +
      page.analysis.betweenness_samples + " sources." : "");

  /* -- details of an entity: what it is, its facts and the sources of each ---------------- */
  var body = $("vg-details-body");
  var DATE_NAMES = { date: "date", startDate: "start", endDate: "end", plannedEndDate: "planned end" };

  function sources(index) {
    var docs = page.citations[index];
    if (!docs || !docs.length) return el("ul", { className: "docs" }, [el("li", { text: "no source given" })]);
    return el("ul", { className: "docs" }, docs.map(function (doc) {
      var s = page.sources[doc[0]], url = P.safeLink(s.url);
      var parts = [el("span", { className: "kind", text: s.kind }),
        url ? el("a", { href: url, target: "_blank", rel: "noopener noreferrer", text: s.title })
            : el("span", { text: s.title })];
      if (doc[1].length) parts.push(", " + doc[1].join("; "));
      if (s.retrieved) parts.push(" (read " + s.retrieved + ")");
      if (page.links === "site" && P.safeLink(s.page)) {
        parts.push(" \u00b7 ", el("a", { href: s.page, text: "about this source" }));
      }
      return el("li", {}, parts);
    }));
  }
  function entityButton(k) {
    return el("button", { type: "button", className: "entity-link", text: N[k][1],
      onclick: function () { select(k, { from: "details" }); } });
  }
  function pageLink(k, text) {
    var href = P.safeLink(page.details[k].page);
    return href ? el("a", { href: href, text: text }) : null;
  }
  function showDetails(k) {
    var e = page.details[k], cls = page.classes[N[k][2]], group = page.groups.filter(function (g) {
      return g.key === cls.group; })[0];
    clear(body);
    var swatch = el("span", { className: "swatch" });
    swatch.style.background = group.colour;
    body.appendChild(el("button", { type: "button", className: "close", text: "Close",
      onclick: function () { select(null); $("vg-search-input").focus(); } }));
    body.appendChild(el("p", { className: "meta" }, [swatch, " " + cls.label + " \u00b7 " + group.label]));
    body.appendChild(el("h2", { className: "entity", id: "vg-entity", tabindex: "-1", text: N[k][1] }));
    if (e.alt.length) body.appendChild(el("p", { className: "meta", text: "Also: " + e.alt.join("; ") }));
    var link = pageLink(k, page.links === "site" ? "Its page" : "Its IRI");
    body.appendChild(el("p", { className: "meta" }, [link, link ? " \u00b7 " : null, el("code", { text: e.curie })]));
    if (P.isFiltered(k)) body.appendChild(el("p", { className: "notice", text: "Its class is hidden by the filters." }));
    if (e.description) body.appendChild(el("p", { className: "description", text: e.description }));
    var dates = Object.keys(e.dates);
    if (dates.length) {
      body.appendChild(el("dl", { className: "dates" }, dates.reduce(function (acc, key) {
        return acc.concat([el("dt", { text: DATE_NAMES[key] || key }), el("dd", { text: e.dates[key] })]);
      }, [])));
    }
    body.appendChild(el("h3", { text: "Sources of its name, description and dates" }));
    body.appendChild(sources(e.own));
    var facts = P.incident[k].map(function (id) { return page.edges[id]; });
    body.appendChild(el("h3", { text: "Facts (" + facts.length + ")" }));
    body.appendChild(el("ul", { className: "facts" }, facts.map(function (edge) {
      var label = page.properties[edge[2]].label;
      var words = edge[0] === k ? [label + " ", entityButton(edge[1])]
                                : [entityButton(edge[0]), " " + label + " this"];
      return el("li", { className: "fact" }, words.concat([sources(edge[3])]));
    })));
    body.appendChild(el("p", { className: "meta" }, ["Classes: ", el("code", { text: e.classes.join(", ") })]));
  }

  /* -- selection -------------------------------------------------------------------------- */
  function select(k, opts) {
    opts = opts || {};
    var before = state.selected, wasNear = P.getNear();
    state.selected = k;
    var was = document.body.classList.contains("has-selection");
    document.body.classList.toggle("has-selection", k !== null);
    if (was !== (k !== null) && phone.matches) sigma.resize();
    updateNear();
    if (k === null) {
      clear(body);
      body.appendChild(el("p", { className: "hint", text: "Click or tap an entity, or find it by name." }));
      $("vg-live").textContent = "";
    } else {
      showDetails(k);
      $("vg-live").textContent = N[k][1];
      if (opts.move !== false) showNeighbourhood(k);
      if (opts.from === "details" || opts.from === "path") $("vg-entity").focus();
    }
    P.redraw(wasNear || P.getNear() ? null : [before, k]);
    remember();
    return true;
  }
  api.select = function (iri) {
    var k = P.keyIndex.get(iri);
    return k === undefined ? false : select(k);
  };
  function updateNear() {
    P.setNear(state.selected !== null && state.focus > 0 ? P.within(state.selected, state.focus) : null);
    $("vg-counts").textContent = "Showing " + api.shown().length + " of " + n + " entities.";
  }

  /* -- camera: fit the graph, a set of entities, zoom ------------------------------------- */
  function fitTo(keys, animate) {
    var xs = [], ys = [];
    keys.forEach(function (k) {
      var d = sigma.getNodeDisplayData(String(k));
      if (d && !P.isHidden(k)) { xs.push(d.x); ys.push(d.y); }
    });
    if (!xs.length) return;
    var minX = Math.min.apply(null, xs), maxX = Math.max.apply(null, xs);
    var minY = Math.min.apply(null, ys), maxY = Math.max.apply(null, ys);
    var target = { x: (minX + maxX) / 2, y: (minY + maxY) / 2,
                   ratio: Math.min(1, Math.max(0.04, 1.35 * Math.max(maxX - minX, maxY - minY))) };
    var camera = sigma.getCamera();
    if (animate && n < 5000) camera.animate(target, { duration: 300 });
    else camera.setState(target);
  }
  function showNeighbourhood(k) {
    fitTo([k].concat(P.neighbours[k]), true);
  }
  function zoom(factor) {
    var camera = sigma.getCamera();
    camera.setState({ ratio: Math.min(4, Math.max(0.01, camera.ratio / factor)) });
  }
  api.zoomIn = function () { zoom(1.6); };
  $("vg-zoom-in").addEventListener("click", api.zoomIn);
  $("vg-zoom-out").addEventListener("click", function () { zoom(1 / 1.6); });
  $("vg-fit").addEventListener("click", function () { sigma.getCamera().setState({ x: 0.5, y: 0.5, ratio: 1, angle: 0 }); });

  /* -- clicks, taps and the tooltip -------------------------------------------------------- */
  var tooltip = $("vg-tooltip"), stage = $("vg-stage");
  sigma.on("clickNode", function (event) { select(+event.node, { move: false }); });
  sigma.on("enterNode", function (event) {
    var k = +event.node, cls = page.classes[N[k][2]];
    tooltip.textContent = N[k][1] + " (" + cls.label + ")";
    tooltip.hidden = false;
    var d = sigma.getNodeDisplayData(event.node), p = sigma.framedGraphToViewport(d);
    var w = stage.clientWidth, h = stage.clientHeight;
    var box = tooltip.getBoundingClientRect();
    tooltip.style.left = Math.max(4, Math.min(w - box.width - 4, p.x + 12)) + "px";
    tooltip.style.top = Math.max(4, Math.min(h - box.height - 4, p.y + 12)) + "px";
  });
  sigma.on("leaveNode", function () { tooltip.hidden = true; });

  /* -- search: case and accents ignored, other names found, every match listed ----------- */
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }
  var names = N.map(function (row, k) {
    return [row[1]].concat(page.details[k].alt, [page.details[k].curie]).map(fold);
  });
  function find(text) {
    var key = fold(text);
    if (!key) return [];
    var found = [];
    for (var k = 0; k < n; k++) {
      var best = -1;
      names[k].forEach(function (name, j) {
        var at = name.indexOf(key);
        if (at < 0) return;
        var score = (name === key ? 0 : at === 0 ? 1 : 2) * 3 + Math.min(j, 2);
        if (best < 0 || score < best) best = score;
      });
      if (best >= 0) found.push([best, k]);
    }
    found.sort(function (a, b) { return (a[0] - b[0]) || (N[b[1]][5] - N[a[1]][5]) || (a[1] - b[1]); });
    return found.map(function (f) { return f[1]; });
  }
  api.find = function (text) { return find(text).map(function (k) { return N[k][0]; }); };
  var input = $("vg-search-input"), results = $("vg-search-results"), status = $("vg-search-status");
  var SHOWN = 200, active = -1, options = [];
  function closeList() {
    results.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }
  function setActive(i) {
    options.forEach(function (o, j) { o.setAttribute("aria-selected", j === i ? "true" : "false"); });
    active = i;
    if (i >= 0) {
      input.setAttribute("aria-activedescendant", options[i].id);
      options[i].scrollIntoView({ block: "nearest" });
    }
  }
  function listMatches() {
    var text = input.value, found = find(text);
    clear(results);
    options = [];
    if (!fold(text)) { status.textContent = ""; closeList(); return; }
    if (!found.length) { status.textContent = "No entity matches \u201c" + text.trim() + "\u201d."; closeList(); return; }
    status.textContent = found.length + (found.length === 1 ? " match" : " matches") +
      (found.length > SHOWN ? " (the first " + SHOWN + " listed; type more to narrow)" : "") +
      ": choose one with the arrow keys and Enter, or click it.";
    found.slice(0, SHOWN).forEach(function (k, i) {
      var cls = page.classes[N[k][2]], key = fold(text);
      var alt = page.details[k].alt.filter(function (a) { return fold(a).indexOf(key) >= 0; })[0];
      var option = el("li", { id: "vg-option-" + i, role: "option", "aria-selected": "false",
        "data-iri": N[k][0] }, [N[k][1], el("span", { className: "cls", text: cls.label }),
        alt && fold(N[k][1]).indexOf(key) < 0 ? el("span", { className: "alt", text: "also: " + alt }) : null]);
      option.addEventListener("mousedown", function (event) { event.preventDefault(); });
      option.addEventListener("click", function () { choose(k); });
      results.appendChild(option);
      options.push(option);
    });
    results.hidden = false;
    input.setAttribute("aria-expanded", "true");
  }
  function choose(k) {
    closeList();
    select(k);
  }
  input.addEventListener("input", listMatches);
  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (results.hidden) listMatches();
      if (!options.length) return;
      var step = event.key === "ArrowDown" ? 1 : -1;
      setActive((active + step + options.length) % options.length);
    } else if (event.key === "Enter") {
      event.preventDefault();
      if (active >= 0) choose(+P.keyIndex.get(options[active].getAttribute("data-iri")));
      else { listMatches(); if (options.length) setActive(0); }
    } else if (event.key === "Escape") {
      closeList();
    }
  });
  input.addEventListener("blur", function () { setTimeout(closeList, 150); });

  window.vetgraphUI = { select: select, fitTo: fitTo, updateNear: updateNear, fold: fold };
  var remember = function () { if (window.vetgraphState) window.vetgraphState.remember(); };
})();
