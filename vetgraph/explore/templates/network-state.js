/* vetgraph's network page, the filters and the state: the legend (the palette's groups, each
 * opening to its classes), focus on the selection, ForceAtlas2 after a filter, the path's
 * hops, the phone's folding controls, and the URL fragment. */
(function () {
  "use strict";

  var P = window.vetgraphPage, U = window.vetgraphUI, V = window.vetgraphVendor;
  var N = P.N, n = P.n, sigma = P.sigma, graph = P.graph, page = P.page, state = P.state;
  var el = P.el, api = P.api;
  function $(id) { return document.getElementById(id); }

  /* -- legend: groups with counts, each opening to its classes; each a filter -------------- */
  var legend = $("vg-legend"), boxes = [];
  page.groups.forEach(function (g) {
    var box = el("input", { type: "checkbox", "data-group": g.key });
    box.checked = true;
    box.addEventListener("change", function () {
      if (box.checked) state.hiddenGroups.delete(g.key); else state.hiddenGroups.add(g.key);
      filtered();
    });
    boxes.push(box);
    var swatch = el("span", { className: "swatch" });
    swatch.style.background = g.colour;
    var classes = g.classes.map(function (i) {
      var c = page.classes[i];
      var cbox = el("input", { type: "checkbox", "data-class": c.cls });
      cbox.checked = true;
      cbox.addEventListener("change", function () {
        if (cbox.checked) state.hiddenClasses.delete(c.cls); else state.hiddenClasses.add(c.cls);
        filtered();
      });
      boxes.push(cbox);
      return el("li", {}, [el("label", { title: c.cls }, [cbox, el("span", { text: c.label }),
        el("span", { className: "count", text: String(c.count) })])]);
    });
    legend.appendChild(el("li", { title: g.description }, [
      el("label", {}, [box, swatch, el("span", { text: g.label }), el("span", { className: "count", text: String(g.count) })]),
      el("details", {}, [el("summary", { text: g.classes.length === 1 ? "its class" : "its " + g.classes.length + " classes" }),
        el("ul", {}, classes)]),
    ]));
  });
  function syncBoxes() {
    boxes.forEach(function (b) {
      var g = b.getAttribute("data-group"), c = b.getAttribute("data-class");
      b.checked = g ? !state.hiddenGroups.has(g) : !state.hiddenClasses.has(c);
    });
  }
  $("vg-groups-all").addEventListener("click", function () {
    state.hiddenGroups.clear();
    state.hiddenClasses.clear();
    syncBoxes();
    filtered();
  });
  function filtered() {
    U.updateNear();
    sigma.refresh();
    relayout();
    remember();
  }

  /* -- ForceAtlas2 on what remains after a filter, a few iterations a frame ---------------- */
  var run = 0;
  function relayout() {
    var mine = ++run, sub = new V.Graph({ type: "undirected", multi: true });
    graph.forEachNode(function (key, a) {
      if (!P.isFiltered(+key)) sub.addNode(key, { x: a.x, y: a.y });
    });
    graph.forEachEdge(function (key, a, s, t) {
      if (sub.hasNode(s) && sub.hasNode(t) && s !== t) sub.addEdge(s, t);
    });
    document.body.setAttribute("data-layout", "running");
    if (sub.order < 2) return done();
    var settings = V.forceAtlas2.inferSettings(sub);
    settings.barnesHutOptimize = sub.order > 400;
    var total = sub.order > 5000 ? 24 : sub.order > 1000 ? 60 : 150;
    var chunk = sub.order > 5000 ? 2 : sub.order > 1000 ? 6 : 30, doneSteps = 0;
    function step() {
      if (mine !== run) return;
      V.forceAtlas2.assign(sub, { iterations: chunk, settings: settings });
      doneSteps += chunk;
      graph.updateEachNodeAttributes(function (key, a) {
        if (!sub.hasNode(key)) return a;
        var b = sub.getNodeAttributes(key);
        a.x = b.x; a.y = b.y;
        return a;
      }, { attributes: ["x", "y"] });
      if (doneSteps < total) setTimeout(step, 0); else done();
    }
    function done() {
      if (mine !== run) return;
      api.layouts += 1;
      document.body.setAttribute("data-layout", "done");
    }
    setTimeout(step, 0);
  }
  api.relayout = relayout;

  /* -- focus on the selection's neighbourhood ----------------------------------------------- */
  var focus = $("vg-focus"), focusHide = $("vg-focus-hide");
  function readFocus() {
    state.focus = +focus.value;
    state.focusHide = focusHide.checked;
    U.updateNear();
    sigma.refresh();
    remember();
  }
  focus.addEventListener("change", readFocus);
  focusHide.addEventListener("change", readFocus);

  /* -- the path: its hops first, each linking its entities and its sources ----------------- */
  if (page.path) {
    var list = $("vg-path-list");
    page.path.connections.forEach(function (hops) {
      list.appendChild(el("li", {}, [el("ul", { className: "hops" }, hops.map(function (hop) {
        return el("li", {}, hop.links.map(function (l) {
          var label = page.properties[l[1]].label, forward = l[0] === hop.from;
          var parts = [button(hop.from), forward ? " \u2014" + label + "\u2192 " : " \u2190" + label + "\u2014 ", button(hop.to)];
          var docs = page.citations[l[3]];
          parts.push(" [");
          if (!docs.length) parts.push("no source given");
          docs.forEach(function (d, i) {
            var s = page.sources[d[0]], url = P.safeLink(s.url);
            if (i) parts.push("; ");
            parts.push(url ? el("a", { href: url, target: "_blank", rel: "noopener noreferrer", text: s.title }) : s.title);
            if (d[1].length) parts.push(", " + d[1].join("; "));
          });
          parts.push("]");
          return el("div", { className: "hop" }, parts);
        }));
      }))]));
    });
  }
  function button(k) {
    return el("button", { type: "button", className: "entity-link", text: N[k][1],
      onclick: function () { U.select(k, { from: "path" }); } });
  }

  /* -- phone: the filters fold away -------------------------------------------------------- */
  var toggle = $("vg-controls-toggle");
  toggle.addEventListener("click", function () {
    var open = document.body.classList.toggle("filters-open");
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  });

  /* -- the URL fragment: #select=IRI&hide=group,class&focus=1&rest=hide&camera=x,y,ratio --- */
  var timer = null;
  function fragment() {
    var parts = [];
    if (state.selected !== null) parts.push("select=" + encodeURIComponent(N[state.selected][0]));
    var hide = Array.from(state.hiddenGroups).concat(Array.from(state.hiddenClasses));
    if (hide.length) parts.push("hide=" + hide.map(encodeURIComponent).join(","));
    if (state.focus) parts.push("focus=" + state.focus);
    if (state.focusHide) parts.push("rest=hide");
    var c = sigma.getCamera().getState();
    parts.push("camera=" + [c.x.toFixed(4), c.y.toFixed(4), c.ratio.toFixed(4)].join(","));
    return "#" + parts.join("&");
  }
  function remember() {
    if (!api.stable) return;
    clearTimeout(timer);
    timer = setTimeout(function () {
      var hash = fragment();
      if (hash !== location.hash) history.replaceState(null, "", hash);
    }, 150);
  }
  api.fragment = fragment;
  window.vetgraphState = { remember: remember };
  sigma.getCamera().on("updated", remember);

  function restore() {
    var params = {};
    location.hash.replace(/^#/, "").split("&").forEach(function (pair) {
      var at = pair.indexOf("=");
      if (at > 0) params[pair.slice(0, at)] = pair.slice(at + 1);
    });
    function decoded(value) { try { return decodeURIComponent(value); } catch (e) { return null; } }
    state.hiddenGroups.clear();
    state.hiddenClasses.clear();
    (params.hide ? params.hide.split(",") : []).map(decoded).forEach(function (token) {
      if (!token) return;
      if (page.groups.some(function (g) { return g.key === token; })) state.hiddenGroups.add(token);
      else state.hiddenClasses.add(token);
    });
    syncBoxes();
    state.focus = params.focus === "2" ? 2 : params.focus === "1" ? 1 : 0;
    state.focusHide = params.rest === "hide";
    focus.value = String(state.focus);
    focusHide.checked = state.focusHide;
    var k = params.select ? P.keyIndex.get(decoded(params.select)) : undefined;
    U.select(k === undefined ? null : k, { move: !params.camera });
    var cam = (params.camera || "").split(",").map(Number);
    if (cam.length === 3 && cam.every(isFinite) && cam[2] > 0) {
      sigma.getCamera().setState({ x: cam[0], y: cam[1], ratio: cam[2] });
    }
    if (state.hiddenGroups.size || state.hiddenClasses.size) relayout();
  }
  restore();
  window.addEventListener("hashchange", function () { if (location.hash !== fragment()) restore(); });

  /* -- stable: drawn once, labels placed ----------------------------------------------------- */
  P.api.marks.end = performance.now();
  sigma.once("afterRender", function () {
    requestAnimationFrame(function () {
      api.stable = true;
      api.marks.stable = performance.now();
      document.body.setAttribute("data-stable", "true");
    });
  });
  sigma.refresh();
})();
