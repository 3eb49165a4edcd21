/* vetgraph's interactive page. Data arrives as JSON in <script type="application/json">
 * blocks; every label, title and description is untrusted text and reaches the DOM only
 * through textContent (never innerHTML). Links are made only to http(s) addresses. */
(function () {
  "use strict";

  function read(id) {
    return JSON.parse(document.getElementById(id).textContent);
  }
  function $(id) {
    return document.getElementById(id);
  }
  /* el("a", {text: "x", href: "..."}, [children]) */
  function el(tag, props, children) {
    var node = document.createElement(tag);
    Object.keys(props || {}).forEach(function (key) {
      var value = props[key];
      if (value === null || value === undefined) return;
      if (key === "text") node.textContent = value;
      else if (key === "className") node.className = value;
      else if (key === "onclick") node.addEventListener("click", value);
      else node.setAttribute(key, value);
    });
    (children || []).forEach(function (child) {
      if (child === null || child === undefined) return;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }
  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }
  function webAddress(url) {
    return typeof url === "string" && /^https?:\/\//i.test(url) ? url : null;
  }

  var marks = { start: performance.now() };  /* timings, read by bench/page.py */
  var page = read("vg-page");
  var entities = page.entities;
  /* Hover titles are made here rather than shipped: plain strings, which vis-network
   * shows as text. */
  var nodeList = read("vg-nodes").map(function (n) {
    n.title = n.label + " (" + entities[n.id].class_label + ")";
    return n;
  });
  var nodes = new vis.DataSet(nodeList);
  /* A link arrives as [subject, object, property, citations], each an index (see
   * visualise.py); links[id] keeps it for the details panel. */
  var links = read("vg-edges");
  var onPath = new Set(page.highlight ? page.highlight.edges : []);
  var edges = new vis.DataSet(links.map(function (link, id) {
    var from = nodeList[link[0]].id, to = nodeList[link[1]].id;
    var property = page.properties[link[2]];
    var edge = {
      id: id, from: from, to: to,
      title: entities[from].label + " \u2014" + property.label + "\u2192 " + entities[to].label,
    };
    if (!page.large || onPath.has(id)) edge.label = property.label;
    if (page.highlight) {
      edge.color = onPath.has(id) ? page.highlight.colour : page.highlight.faded;
      edge.width = onPath.has(id) ? 4 : 1;
    }
    return edge;
  }));
  var options = read("vg-options");
  var ids = nodes.getIds();

  var outgoing = {}, incoming = {};
  edges.forEach(function (edge) {
    (outgoing[edge.from] = outgoing[edge.from] || []).push(edge);
    (incoming[edge.to] = incoming[edge.to] || []).push(edge);
  });

  /* -- filters: classes and period ------------------------------------------------------- */
  var state = { hidden: new Set(), from: null, to: null, undated: true };
  function visible(id) {
    var entity = entities[id];
    if (!entity || state.hidden.has(entity.cls)) return false;
    if (!entity.span) return state.undated;
    if (state.from !== null && entity.span[1] < state.from) return false;
    if (state.to !== null && entity.span[0] > state.to) return false;
    return true;
  }
  var nodeView = new vis.DataView(nodes, { filter: function (n) { return visible(n.id); } });
  var edgeView = new vis.DataView(edges, {
    filter: function (e) { return visible(e.from) && visible(e.to); },
  });

  marks.data = performance.now();
  var container = $("vg-network");
  var network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, options);

  marks.network = performance.now();
  var api = {
    network: network, nodes: nodes, edges: edges, nodeView: nodeView, edgeView: edgeView,
    page: page, stable: false, stableAt: null, selected: null, marks: marks,
  };
  window.vetgraph = api;

  function refresh() {
    nodeView.refresh();
    edgeView.refresh();
    showCounts();
  }
  function showCounts() {
    $("vg-counts").textContent =
      "Showing " + nodeView.length + " of " + nodes.length + " entities, " +
      edgeView.length + " of " + edges.length + " links.";
  }

  /* -- header and footer ------------------------------------------------------------------ */
  $("vg-title").textContent = page.title;
  $("vg-subtitle").textContent =
    (page.subtitle ? page.subtitle + " · " : "") + nodes.length + " entities, " +
    edges.length + " links" + (page.layout === "timeline" ? ", by year" : "");
  $("vg-footer").textContent =
    page.analysis.components + " connected component(s), " + page.analysis.communities +
    " communities (Louvain)" +
    (page.analysis.betweenness_samples
      ? "; betweenness estimated from " + page.analysis.betweenness_samples + " sources."
      : ".");

  /* -- legend: one colour per class, each a filter ----------------------------------------- */
  var legend = $("vg-legend-list");
  page.classes.forEach(function (c) {
    var box = el("input", { type: "checkbox", "data-class": c.cls });
    box.checked = true;
    box.addEventListener("change", function () {
      if (box.checked) state.hidden.delete(c.cls);
      else state.hidden.add(c.cls);
      refresh();
    });
    var swatch = el("span", { className: "swatch" });
    swatch.style.background = c.color;
    legend.appendChild(el("li", {}, [
      el("label", { title: c.cls }, [box, swatch, el("span", { text: c.label }),
        el("span", { className: "count", text: String(c.count) })]),
    ]));
  });
  function setAll(on) {
    legend.querySelectorAll("input").forEach(function (box) {
      box.checked = on;
      if (on) state.hidden.delete(box.getAttribute("data-class"));
      else state.hidden.add(box.getAttribute("data-class"));
    });
    refresh();
  }
  $("vg-classes-all").addEventListener("click", function () { setAll(true); });
  $("vg-classes-none").addEventListener("click", function () { setAll(false); });

  /* -- period --------------------------------------------------------------------------- */
  var from = $("vg-year-from"), to = $("vg-year-to"), undated = $("vg-undated");
  if (page.years) {
    [from, to].forEach(function (input) {
      input.min = page.years.first;
      input.max = page.years.last;
    });
    from.value = page.years.first;
    to.value = page.years.last;
  } else {
    from.disabled = to.disabled = true;
  }
  function readPeriod() {
    var a = parseInt(from.value, 10), b = parseInt(to.value, 10);
    state.from = isNaN(a) ? null : a;
    state.to = isNaN(b) ? null : b;
    state.undated = undated.checked;
    refresh();
  }
  [from, to, undated].forEach(function (input) { input.addEventListener("change", readPeriod); });

  /* -- size by degree or betweenness ------------------------------------------------------ */
  var sizeBy = $("vg-size-by");
  sizeBy.value = page.size_by;
  sizeBy.addEventListener("change", function () {
    nodes.update(ids.map(function (id) {
      var e = entities[id];
      return { id: id, value: sizeBy.value === "betweenness" ? 1 + 100 * e.betweenness : 1 + e.degree };
    }));
  });

  /* -- physics: runs until the layout is stable, then stops; the button turns it on again -- */
  var physicsButton = $("vg-physics");
  function setPhysics(on) {
    network.setOptions({ physics: { enabled: on } });
    physicsButton.setAttribute("aria-pressed", on ? "true" : "false");
    physicsButton.textContent = "Physics: " + (on ? "on" : "off");
  }
  physicsButton.addEventListener("click", function () {
    setPhysics(physicsButton.getAttribute("aria-pressed") !== "true");
  });
  if (page.layout === "timeline") {
    physicsButton.disabled = true;
    physicsButton.title = "The timeline keeps every entity at its date";
  }
  $("vg-fit").addEventListener("click", function () { network.fit(); });

  function markStable() {
    if (api.stable) return;
    network.once("afterDrawing", function () {
      if (api.stable) return;
      api.stable = true;
      api.stableAt = performance.now();
      document.body.setAttribute("data-stable", "true");
    });
    network.redraw();
  }
  if (page.physics) {
    physicsButton.setAttribute("aria-pressed", "true");
    physicsButton.textContent = "Physics: on";
    network.once("stabilizationIterationsDone", function () {
      setPhysics(false);
      network.fit();
      markStable();
    });
    network.once("stabilized", markStable);
  } else {
    markStable();
  }

  /* -- the timeline's axis: a column per year, a lane per class ----------------------------- */
  if (page.timeline) {
    network.on("beforeDrawing", function (ctx) {
      var t = page.timeline, w = t.year_width, lanes = t.lanes;
      if (!lanes.length) return;
      var top = lanes[0].top - 50, bottom = lanes[lanes.length - 1].bottom + 10;
      var left = -w * 0.6, right = (t.last_year - t.first_year + 1) * w;
      var span = t.last_year - t.first_year, step = span > 40 ? 10 : span > 15 ? 5 : 1;
      ctx.save();
      lanes.forEach(function (lane, i) {
        if (i % 2 === 0) {
          ctx.fillStyle = "rgba(20, 40, 80, 0.045)";
          ctx.fillRect(left, lane.top, right - left, lane.bottom - lane.top);
        }
        ctx.fillStyle = "#4a525c";
        ctx.font = "bold 14px system-ui, sans-serif";
        ctx.textAlign = "left";
        ctx.textBaseline = "top";
        ctx.fillText(lane.label, left + 6, lane.top + 4);
      });
      ctx.textAlign = "left";
      ctx.textBaseline = "alphabetic";
      ctx.font = "14px system-ui, sans-serif";
      for (var year = t.first_year; year <= t.last_year + 1; year++) {
        var x = (year - t.first_year) * w, major = year % step === 0 || year === t.first_year;
        ctx.strokeStyle = major ? "rgba(0, 0, 0, 0.22)" : "rgba(0, 0, 0, 0.07)";
        ctx.beginPath();
        ctx.moveTo(x, top);
        ctx.lineTo(x, bottom);
        ctx.stroke();
        if (major) {
          ctx.fillStyle = "#1b1f23";
          ctx.fillText(String(year), x + 4, top + 16);
        }
      }
      ctx.restore();
    });
  }

  /* -- details of the selected entity: description, dates, facts, sources ------------------ */
  var details = $("vg-details");
  var DATE_NAMES = { date: "date", startDate: "start", endDate: "end", plannedEndDate: "planned end" };

  function citation(cite) {
    var source = page.sources[cite[0]];
    var url = webAddress(source.url);
    var name = source.title || source.iri;
    var parts = [url ? el("a", { href: url, target: "_blank", rel: "noopener noreferrer", text: name })
                     : el("span", { text: name })];
    if (cite[1]) parts.push(", " + cite[1]);
    if (cite[2]) parts.push(", " + cite[2]);
    return el("li", { className: "cite" }, parts);
  }
  function citations(index) {
    var cites = page.citations[index];
    if (!cites.length) return el("ul", { className: "cites" }, [el("li", { text: "no source given" })]);
    return el("ul", { className: "cites" }, cites.map(citation));
  }
  function entityButton(id) {
    var entity = entities[id];
    return el("button", {
      type: "button", className: "entity-link", text: entity ? entity.label : id,
      onclick: function () { select(id); },
    });
  }
  function fact(edge, outward) {
    var link = links[edge.id], label = page.properties[link[2]].label;
    var parts = outward
      ? [label + " ", entityButton(edge.to)]
      : [entityButton(edge.from), " " + label + " this"];
    return el("li", { className: "fact", "data-edge": String(edge.id) }, parts.concat([citations(link[3])]));
  }

  function showDetails(id) {
    var e = entities[id];
    clear(details);
    if (!e) return;
    details.appendChild(el("p", { className: "meta", text: e.class_label }));
    details.appendChild(el("h2", { className: "entity", text: e.label }));
    details.appendChild(el("p", { className: "meta" }, [el("code", { text: e.curie })]));
    if (!visible(id)) {
      details.appendChild(el("p", { className: "notice", text: "Hidden by the current filters." }));
    }
    if (e.description) details.appendChild(el("p", { className: "description", text: e.description }));
    var dates = Object.keys(e.dates);
    if (dates.length) {
      details.appendChild(el("dl", { className: "dates" }, dates.reduce(function (acc, key) {
        return acc.concat([el("dt", { text: DATE_NAMES[key] || key }), el("dd", { text: e.dates[key] })]);
      }, [])));
    }
    details.appendChild(el("p", {
      className: "meta",
      text: e.degree + " linked entities · betweenness " + e.betweenness.toFixed(3) +
        (e.community !== null ? " · community " + (e.community + 1) : ""),
    }));
    var out = outgoing[id] || [], inc = incoming[id] || [];
    details.appendChild(el("h3", { text: "Facts (" + (out.length + inc.length) + ")" }));
    if (!out.length && !inc.length) details.appendChild(el("p", { className: "hint", text: "No links." }));
    details.appendChild(el("ul", { className: "facts" },
      out.map(function (edge) { return fact(edge, true); })
        .concat(inc.map(function (edge) { return fact(edge, false); }))));
    var own = page.citations[e.cites];
    details.appendChild(el("h3", { text: "Sources of its facts (" + own.length + ")" }));
    details.appendChild(el("ul", { className: "cites entity-sources" }, own.map(citation)));
    details.appendChild(el("p", { className: "meta" }, [
      "Classes: ", el("code", { text: e.classes.join(", ") }),
    ]));
  }

  function showEdge(edgeId) {
    var edge = edges.get(edgeId), link = links[edgeId];
    if (!edge || !link) return;
    var property = page.properties[link[2]];
    clear(details);
    details.appendChild(el("p", { className: "meta", text: "fact" }));
    details.appendChild(el("h2", { className: "entity" }, [
      entityButton(edge.from), " " + property.label + " ", entityButton(edge.to),
    ]));
    details.appendChild(el("p", { className: "meta" }, [el("code", { text: property.curie })]));
    details.appendChild(el("h3", { text: "Sources" }));
    details.appendChild(citations(link[3]));
  }

  function select(id) {
    if (!entities[id]) return false;
    api.selected = id;
    if (visible(id)) {
      network.selectNodes([id]);
      network.focus(id, {
        scale: Math.max(network.getScale(), 1),
        animation: page.large ? false : { duration: 300, easingFunction: "easeInOutQuad" },
      });
    } else {
      network.unselectAll();
    }
    showDetails(id);
    return true;
  }
  api.select = select;

  network.on("click", function (params) {
    if (params.nodes.length) {
      api.selected = params.nodes[0];
      showDetails(params.nodes[0]);
    } else if (params.edges.length) {
      showEdge(params.edges[0]);
    }
  });

  /* -- search by label (or CURIE) ---------------------------------------------------------- */
  var byName = new Map();
  ids.forEach(function (id) {
    var e = entities[id];
    [e.label, e.curie].forEach(function (name) {
      var key = name.toLowerCase();
      if (!byName.has(key)) byName.set(key, []);
      if (byName.get(key).indexOf(id) < 0) byName.get(key).push(id);
    });
  });
  /* The suggestions list is filled when the search box is first used (thousands of
   * options would slow the first drawing of a large graph). */
  $("vg-search-input").addEventListener("focus", function () {
    var datalist = $("vg-labels");
    if (datalist.childElementCount) return;
    ids.forEach(function (id) {
      var option = document.createElement("option");
      option.value = entities[id].label;
      datalist.appendChild(option);
    });
  });
  function find(text) {
    var key = text.trim().toLowerCase();
    if (!key) return [];
    if (byName.has(key)) return byName.get(key).slice();
    var found = [];
    for (var i = 0; i < ids.length && found.length < 50; i++) {
      var e = entities[ids[i]];
      if (e.label.toLowerCase().indexOf(key) >= 0 || e.curie.toLowerCase().indexOf(key) >= 0) {
        found.push(ids[i]);
      }
    }
    return found;
  }
  api.find = find;
  var status = $("vg-search-status"), results = $("vg-search-results");
  $("vg-search").addEventListener("submit", function (event) {
    event.preventDefault();
    var text = $("vg-search-input").value;
    var found = find(text);
    clear(results);
    if (!found.length) {
      status.textContent = "No entity matches \u201c" + text.trim() + "\u201d.";
    } else if (found.length === 1) {
      status.textContent = "";
      select(found[0]);
    } else {
      status.textContent = found.length + (found.length === 50 ? "+" : "") + " matches:";
      found.slice(0, 20).forEach(function (id) {
        results.appendChild(el("li", {}, [entityButton(id)]));
      });
    }
  });

  /* -- a highlighted path, in words ------------------------------------------------------- */
  if (page.highlight) {
    $("vg-path").hidden = false;
    var list = $("vg-path-list");
    page.highlight.connections.forEach(function (lines) {
      list.appendChild(el("li", {}, lines.map(function (line) { return el("div", { text: line }); })));
    });
  }

  showCounts();
  marks.end = performance.now();
})();
