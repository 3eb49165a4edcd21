/* vetgraph's network page: sigma.js draws the graph (WebGL), network-labels.js its labels,
 * this script the rest. Data arrives as JSON in a <script type="application/json"> block;
 * every label, title and description is untrusted text and reaches the DOM only through
 * textContent (never innerHTML). Links are made only to http(s) addresses or site pages.
 * State (selection, hidden groups and classes, focus, camera) lives in the URL fragment. */
(function () {
  "use strict";

  var V = window.vetgraphVendor, L = window.vetgraphLabels;
  var marks = { start: performance.now() };  /* timings, read by bench/page.py */
  function $(id) { return document.getElementById(id); }
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
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function safeLink(url) {
    if (typeof url !== "string") return null;
    if (/^https?:\/\//i.test(url)) return url;
    return /^(id|source)\/[A-Za-z0-9][A-Za-z0-9._~-]*\.html$/.test(url) ? url : null;
  }

  var page = JSON.parse($("vg-page").textContent);
  var N = page.nodes, n = N.length;
  var FADED = "#dfe3e8", PATH = "#C0392B";
  var groupOf = {};
  page.groups.forEach(function (g) { groupOf[g.key] = g; });
  var keyIndex = new Map();
  N.forEach(function (row, i) { keyIndex.set(row[0], i); });

  /* -- the graph: graphology holds it, sigma draws it ------------------------------------ */
  var graph = new V.Graph({ multi: true, type: "directed" });
  N.forEach(function (row, i) {
    var cls = page.classes[row[2]], group = groupOf[cls.group];
    graph.addNode(String(i), {
      x: row[3], y: row[4], size: 3 + 9 * Math.sqrt(row[5]), color: group.colour, label: null,
    });
  });
  var large = page.edges.length > 4000;
  var neighbours = [], incident = [];
  for (var i = 0; i < n; i++) { neighbours.push([]); incident.push([]); }
  var manyLinks = page.edges.length > 30000;
  page.edges.forEach(function (e, id) {
    if (!manyLinks) addLink(id);
    neighbours[e[0]].push(e[1]);
    neighbours[e[1]].push(e[0]);
    incident[e[0]].push(id);
    incident[e[1]].push(id);
  });
  /* With very many links, only the selection's (and the path's) are in the drawn graph
   * unless asked for: a frame of 300,000 lines costs seconds without a GPU, and shows a
   * solid mass anyway. */
  function addLink(id) {
    var e = page.edges[id];
    if (!graph.hasEdge(String(id))) {
      graph.addEdgeWithKey(String(id), String(e[0]), String(e[1]), { size: 1, color: "#c3c9d0" });
    }
  }
  function syncLinks() {
    if (!manyLinks) return false;
    var wanted = new Set(), before = graph.size;
    if (state.allLinks) page.edges.forEach(function (_, id) { wanted.add(String(id)); });
    else if (state.selected !== null) incident[state.selected].forEach(function (id) { wanted.add(String(id)); });
    pathEdges.forEach(function (id) { wanted.add(id); });
    var changed = false;
    graph.forEachEdge(function (key) { if (!wanted.has(key)) { graph.dropEdge(key); changed = true; } });
    wanted.forEach(function (key) { if (!graph.hasEdge(key)) { addLink(+key); changed = true; } });
    return changed || graph.size !== before;
  }
  var onPath = new Set(page.path ? page.path.nodes : []);
  var pathEdges = new Set();
  if (page.path) {
    page.path.connections.forEach(function (c) {
      c.forEach(function (hop) {
        hop.links.forEach(function (l) {
          page.edges.forEach(function (e, id) {
            if (e[0] === l[0] && e[1] === l[2] && e[2] === l[1]) pathEdges.add(String(id));
          });
        });
      });
    });
  }
  /* Small graphs are laid out again here, from Python's positions: ForceAtlas2 with
   * gravity spreads the communities evenly and keeps small components close. */
  if (n > 1 && n <= 3000 && !page.path) {
    var fa2 = V.forceAtlas2.inferSettings(graph);
    fa2.barnesHutOptimize = n > 400;
    fa2.gravity = 1;
    fa2.strongGravityMode = true;
    fa2.adjustSizes = false;
    V.forceAtlas2.assign(graph, { iterations: n > 1000 ? 80 : 200, settings: fa2 });
  }
  marks.layout = performance.now();

  if (manyLinks) pathEdges.forEach(function (id) { addLink(+id); });

  /* by importance (degree or betweenness), the order in which labels get room */
  var byImportance = N.map(function (_, k) { return k; }).sort(function (a, b) {
    return (N[b][5] - N[a][5]) || (a - b);
  });
  marks.data = performance.now();

  var state = { selected: null, hiddenGroups: new Set(), hiddenClasses: new Set(), focus: 0, focusHide: false,
                allLinks: !manyLinks };
  var near = null;  /* the neighbourhood of the selection within state.focus links */

  function isFiltered(k) {
    var cls = page.classes[N[k][2]];
    return state.hiddenGroups.has(cls.group) || state.hiddenClasses.has(cls.cls);
  }
  function within(start, depth) {
    var seen = new Set([start]), frontier = [start];
    for (var d = 0; d < depth; d++) {
      var next = [];
      frontier.forEach(function (k) {
        neighbours[k].forEach(function (m) { if (!seen.has(m)) { seen.add(m); next.push(m); } });
      });
      frontier = next;
    }
    return seen;
  }
  function isHidden(k) {
    if (isFiltered(k)) return k !== state.selected;
    return !!(near && state.focusHide && !near.has(k));
  }
  function isDimmed(k) {
    if (near) return !near.has(k);
    return page.path ? !onPath.has(k) : false;
  }

  var sigma = new V.Sigma(graph, $("vg-network"), {
    renderLabels: false,
    allowInvalidContainer: true,  /* the drawing may fold to nothing on a phone */
    renderEdgeLabels: false,
    defaultEdgeType: large ? "line" : "arrow",
    hideEdgesOnMove: large,
    zIndex: true,
    minCameraRatio: 0.01,
    maxCameraRatio: 4,
    stagePadding: 40,
    defaultDrawNodeHover: function () {},
    /* sigma passes a copy of the attributes: the reducers change it in place */
    nodeReducer: function (key, out) {
      var k = +key;
      if (isHidden(k)) { out.hidden = true; return out; }
      if (isDimmed(k)) { out.color = FADED; out.zIndex = 0; } else { out.zIndex = 1; }
      if (k === state.selected) { out.size = out.size * 1.6 + 3; out.zIndex = 3; out.highlighted = true; }
      else if (onPath.has(k)) { out.size = out.size + 3; out.zIndex = 2; }
      return out;
    },
    edgeReducer: function (key, out) {
      var e = page.edges[+key], a = e[0], b = e[1];
      if (isHidden(a) || isHidden(b)) { out.hidden = true; return out; }
      if (pathEdges.has(key)) { out.color = PATH; out.size = 4; out.zIndex = 2; return out; }
      if (state.selected !== null && (a === state.selected || b === state.selected)) {
        out.color = "#4a525c"; out.size = 2; out.zIndex = 1;
      } else if (isDimmed(a) || isDimmed(b)) {
        out.color = "#eef0f2";
      }
      return out;
    },
  });
  marks.network = performance.now();

  /* -- labels by level of detail ---------------------------------------------------------- */
  var labelCanvas = $("vg-labels"), labelCtx = labelCanvas.getContext("2d");
  var widths = new Map(), drawn = [];
  function textWidth(text, strong) {
    var key = (strong ? "b" : "") + text;
    var w = widths.get(key);
    if (w === undefined) {
      labelCtx.font = strong ? L.BOLD : L.FONT;
      w = labelCtx.measureText(text).width;
      widths.set(key, w);
    }
    return w;
  }
  function candidates() {
    var list = [], seen = new Set();
    function add(k, must) {
      if (seen.has(k) || isHidden(k)) return;
      var d = sigma.getNodeDisplayData(String(k));
      if (!d || d.hidden) return;
      seen.add(k);
      var p = sigma.framedGraphToViewport(d);
      list.push({ key: k, label: N[k][1], x: p.x, y: p.y, r: sigma.scaleSize(d.size),
                  must: must, strong: k === state.selected || onPath.has(k) });
    }
    if (state.selected !== null) {
      add(state.selected, true);
      neighbours[state.selected].slice().sort(function (a, b) { return N[b][5] - N[a][5]; })
        .forEach(function (k) { add(k, true); });
    }
    byImportance.forEach(function (k) { if (onPath.has(k)) add(k, true); });
    var dims = sigma.getDimensions();
    for (var j = 0; j < byImportance.length && list.length < 6000; j++) {
      var k = byImportance[j];
      if (seen.has(k) || (near && !near.has(k)) || isHidden(k)) continue;
      var d = sigma.getNodeDisplayData(String(k));
      if (!d || d.hidden) continue;
      var p = sigma.framedGraphToViewport(d);
      if (p.x < -300 || p.y < -20 || p.x > dims.width + 20 || p.y > dims.height + 20) continue;
      seen.add(k);
      list.push({ key: k, label: N[k][1], x: p.x, y: p.y, r: sigma.scaleSize(d.size), must: false, strong: false });
    }
    return list;
  }
  function drawLabels() {
    var dims = sigma.getDimensions(), ratio = window.devicePixelRatio || 1;
    if (labelCanvas.width !== Math.round(dims.width * ratio) || labelCanvas.height !== Math.round(dims.height * ratio)) {
      labelCanvas.width = Math.round(dims.width * ratio);
      labelCanvas.height = Math.round(dims.height * ratio);
      labelCanvas.style.width = dims.width + "px";
      labelCanvas.style.height = dims.height + "px";
    }
    labelCtx.setTransform(1, 0, 0, 1, 0, 0);
    labelCtx.clearRect(0, 0, labelCanvas.width, labelCanvas.height);
    var stage = $("vg-network").getBoundingClientRect(), zoomBox = $("vg-zoom").getBoundingClientRect();
    var reserved = [{ x: zoomBox.left - stage.left, y: zoomBox.top - stage.top, w: zoomBox.width, h: zoomBox.height }];
    drawn = L.place(candidates(), textWidth, dims, reserved);
    L.draw(labelCtx, drawn, ratio);
  }
  sigma.on("afterRender", drawLabels);

  var api = {
    sigma: sigma, graph: graph, page: page, marks: marks, state: state, stable: false,
    layouts: 0,
    /* the labels on screen: their text, box (viewport px) and font size */
    drawnLabels: function () {
      return drawn.map(function (d) {
        return { iri: N[d.key][0], text: d.text, x: d.x, y: d.y, width: d.width,
                 height: d.height, fontSize: d.fontSize, must: d.must };
      });
    },
    /* the entities drawn (not hidden), by IRI */
    shown: function () {
      var out = [];
      for (var k = 0; k < n; k++) if (!isHidden(k)) out.push(N[k][0]);
      return out;
    },
    colourOf: function (iri) {
      var d = sigma.getNodeDisplayData(String(keyIndex.get(iri)));
      return d ? d.color : null;
    },
    /* viewport position (px, relative to the page) of an entity */
    whereIs: function (iri) {
      var d = sigma.getNodeDisplayData(String(keyIndex.get(iri)));
      var p = sigma.framedGraphToViewport(d), box = $("vg-network").getBoundingClientRect();
      return [box.left + p.x, box.top + p.y];
    },
    /* the camera on an entity, at a zoom ratio (tests and other pages) */
    centre: function (iri, ratio) {
      var d = sigma.getNodeDisplayData(String(keyIndex.get(iri)));
      sigma.getCamera().setState({ x: d.x, y: d.y, ratio: ratio || 0.2 });
      sigma.refresh();
    },
    position: function (iri) {
      var a = graph.getNodeAttributes(String(keyIndex.get(iri)));
      return [a.x, a.y];
    },
  };
  window.vetgraph = api;
  /* Draw again what changed: the given entities and their links (all if null). */
  function redraw(keys) {
    if (syncLinks() || !keys || keys.length > n / 3) { sigma.refresh(); return; }
    var nodes = [], edges = [];
    keys.forEach(function (k) {
      if (k === null || k === undefined) return;
      nodes.push(String(k));
      incident[k].forEach(function (id) { if (graph.hasEdge(String(id))) edges.push(String(id)); });
    });
    sigma.refresh({ partialGraph: { nodes: nodes, edges: edges }, skipIndexation: true });
  }
  window.vetgraphPage = { redraw: redraw, incident: incident, manyLinks: manyLinks, N: N, n: n, sigma: sigma, graph: graph, page: page, state: state, el: el,
    clear: clear, safeLink: safeLink, neighbours: neighbours, keyIndex: keyIndex, api: api,
    within: within, isFiltered: isFiltered, isHidden: isHidden, onPath: onPath };
  window.vetgraphPage.setNear = function (value) { near = value; };
  window.vetgraphPage.getNear = function () { return near; };
})();
