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
      filtered(members(function (c) { return c.group === g.key; }));
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
        filtered(members(function (d) { return d.cls === c.cls; }));
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
  function filtered(changed) {
    U.updateNear();
    P.redraw(changed && !P.getNear() ? changed : null);
    relayout();
    remember();
  }
  function members(test) {
    var out = [];
    for (var k = 0; k < n; k++) if (test(page.classes[N[k][2]])) out.push(k);
    return out;
  }

  /* -- ForceAtlas2 on what remains after a filter, a few iterations a frame ---------------- */
  var run = 0, BIG = 5000;
  function relayout() {
    var mine = ++run;
    document.body.setAttribute("data-layout", "running");
    /* after the filter is drawn */
    requestAnimationFrame(function () {
      requestAnimationFrame(function () {
        if (mine !== run) return;
        var left = 0;
        for (var k = 0; k < n; k++) if (!P.isFiltered(k)) left++;
        (left > BIG ? packCommunities : forceAtlas)(mine);
      });
    });
  }
  function done(mine) {
    if (mine !== run) return;
    api.layouts += 1;
    document.body.setAttribute("data-layout", "done");
  }
  /* A very large graph keeps each community's shape and lays out the communities that
   * remain (ForceAtlas2 on the graph between them, no overlaps): milliseconds, where
   * ForceAtlas2 on 20,000 entities and 300,000 links takes seconds an iteration. */
  function packCommunities(mine) {
    var groups = new Map();
    graph.forEachNode(function (key, a) {
      var k = +key;
      if (P.isFiltered(k)) return;
      var c = N[k][6], g = groups.get(c);
      if (!g) { g = { keys: [], x: 0, y: 0 }; groups.set(c, g); }
      g.keys.push(key); g.x += a.x; g.y += a.y;
    });
    var between = new V.Graph({ type: "undirected" });
    groups.forEach(function (g, c) {
      g.x /= g.keys.length; g.y /= g.keys.length;
      var r = 0;
      g.keys.forEach(function (key) {
        var a = graph.getNodeAttributes(key);
        r = Math.max(r, Math.hypot(a.x - g.x, a.y - g.y));
      });
      between.addNode(String(c), { x: g.x, y: g.y, size: r + 1 });
    });
    page.edges.forEach(function (e) {
      var a = String(N[e[0]][6]), b = String(N[e[1]][6]);
      if (a === b || !between.hasNode(a) || !between.hasNode(b) || P.isFiltered(e[0]) || P.isFiltered(e[1])) return;
      if (between.hasEdge(a, b)) between.updateEdgeAttribute(a, b, "weight", function (w) { return w + 1; });
      else between.addEdge(a, b, { weight: 1 });
    });
    if (between.order > 1) {
      var settings = V.forceAtlas2.inferSettings(between);
      settings.adjustSizes = true;
      settings.gravity = 1;
      V.forceAtlas2.assign(between, { iterations: 200, settings: settings });
    }
    var moved = new Map();
    groups.forEach(function (g, c) {
      var to = between.getNodeAttributes(String(c));
      g.keys.forEach(function (key) { moved.set(key, [to.x - g.x, to.y - g.y]); });
    });
    graph.updateEachNodeAttributes(function (key, a) {
      var d = moved.get(key);
      if (d) { a.x += d[0]; a.y += d[1]; }
      return a;
    }, { attributes: ["x", "y"] });
    done(mine);
  }
  function forceAtlas(mine) {
    var sub = new V.Graph({ type: "undirected", multi: true });
    graph.forEachNode(function (key, a) {
      if (!P.isFiltered(+key)) sub.addNode(key, { x: a.x, y: a.y });
    });
    page.edges.forEach(function (e) {
      var s = String(e[0]), t = String(e[1]);
      if (s !== t && sub.hasNode(s) && sub.hasNode(t)) sub.addEdge(s, t);
    });
    if (sub.order < 2) return done(mine);
    var settings = V.forceAtlas2.inferSettings(sub);
    settings.barnesHutOptimize = sub.order > 400;
    var total = sub.order > 5000 ? 12 : sub.order > 1000 ? 60 : 150;
    var chunk = sub.order > 5000 ? 1 : sub.order > 1000 ? 6 : 30, doneSteps = 0;
    function step() {
      if (mine !== run) return;
      V.forceAtlas2.assign(sub, { iterations: chunk, settings: settings });
      doneSteps += chunk;
      var last = doneSteps >= total;
      if (last || sub.order <= 5000) {  /* small graphs move as they settle */
        graph.updateEachNodeAttributes(function (key, a) {
          if (!sub.hasNode(key)) return a;
          var b = sub.getNodeAttributes(key);
          a.x = b.x; a.y = b.y;
          return a;
        }, { attributes: ["x", "y"] });
      }
      if (!last) setTimeout(step, 0); else done(mine);
    }
    step();
  }
  api.relayout = relayout;

  /* -- focus on the selection's neighbourhood ----------------------------------------------- */
  var focus = $("vg-focus"), focusHide = $("vg-focus-hide");
  function readFocus() {
    state.focus = +focus.value;
    state.focusHide = focusHide.checked;
    U.updateNear();
    sigma.refresh();
    var near = P.getNear();
    if (near) U.fitTo(Array.from(near), true);  /* the neighbourhood fills the view */
    remember();
  }
  var allLinks = $("vg-all-links");
  allLinks.checked = state.allLinks;
  allLinks.parentNode.hidden = !P.manyLinks;  /* smaller pages draw every link anyway */
  allLinks.addEventListener("change", function () {
    state.allLinks = allLinks.checked;
    P.redraw(null);
  });
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
    U.updateNear();
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
  if (state.hiddenGroups.size || state.hiddenClasses.size || P.getNear()) sigma.refresh();
  else sigma.scheduleRender();
})();
