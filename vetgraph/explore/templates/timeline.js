/* vetgraph timeline: an HTML chart of dated entities (one lane per class group), a list in
   date order filtered as the chart is, search, details with sources, permalinks.
   Untrusted text only ever goes into textContent or attribute values. */
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('tl-data').textContent);
  var items = data.items;
  var groups = data.groups;
  var sources = data.sources;
  var $ = function (id) { return document.getElementById(id); };
  var ROW = 28, HEAD = 28, GAP = 8, LABEL_MAX = 340, LIST_PAGE = 200;
  var byId = new Map();
  items.forEach(function (item, i) {
    item.i = i;
    item.key = fold(item.label) + '\n' + fold(item.class_label) + '\n' + fold(item.cls) + '\n' +
      fold(groups[item.g].label);
    byId.set(item.id, item);
  });
  var span = data.span || [new Date().getFullYear(), new Date().getFullYear()];
  var state = { from: 0, to: 1, hide: new Set(), q: '', selected: null };
  var layout = { lanes: [], height: 0, visible: [] };
  var listShown = LIST_PAGE;
  var measure = document.createElement('canvas').getContext('2d');

  function fold(text) {
    return String(text || '').normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  }
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }
  function clamp(v, lo, hi) { return Math.max(lo, Math.min(hi, v)); }
  // The chart's width is read once per layout (reading it per item forces the browser to lay
  // out the page again and again).
  var widthNow = 0;
  function chartWidth() { return widthNow || Math.max(1, $('tl-scroll').clientWidth); }
  function px(year) { return (year - state.from) / (state.to - state.from) * chartWidth(); }
  function yearAt(x) { return state.from + x / chartWidth() * (state.to - state.from); }
  function shortLabel(label) { return label.length > 90 ? label.slice(0, 89) + '…' : label; }
  function textWidth(item) {
    if (item.w === undefined) item.w = Math.ceil(measure.measureText(shortLabel(item.label)).width) + 6;
    return Math.min(item.w, labelLimit || labelMax());
  }
  var labelLimit = 0;
  function labelMax() { return Math.min(LABEL_MAX, Math.max(140, chartWidth() * 0.45)); }
  function fmtYear(y) { return String(Math.floor(y)); }
  function endOf(item) { return item.e === null ? item.s : item.e; }

  // -- filters -----------------------------------------------------------------------------
  function passes(item) {
    if (state.hide.has(groups[item.g].key) || state.hide.has(item.cls)) return false;
    return !state.q || item.key.indexOf(state.q) !== -1;
  }
  function inView(item) { return endOf(item) >= state.from && item.s < state.to; }

  // -- the view ----------------------------------------------------------------------------
  function fitRange() {
    var lo = span[0], hi = span[1] + 1, pad = Math.max(0.4, (hi - lo) * 0.02);
    return [lo - pad, hi + pad];
  }
  function setView(from, to) {
    var full = fitRange(), widest = (full[1] - full[0]) * 3 + 10;
    var width = clamp(to - from, 0.25, widest), mid = (from + to) / 2;
    mid = clamp(mid, full[0] - width / 2, full[1] + width / 2);
    state.from = mid - width / 2;
    state.to = mid + width / 2;
    update();
  }
  function zoom(factor, anchorYear) {
    var at = anchorYear === undefined ? (state.from + state.to) / 2 : anchorYear;
    setView(at - (at - state.from) / factor, at + (state.to - at) / factor);
  }
  function pan(fraction) {
    var shift = (state.to - state.from) * fraction;
    setView(state.from + shift, state.to + shift);
  }
  function fit() { var r = fitRange(); setView(r[0], r[1]); }

  // -- layout: in-view items stacked in rows so that no two labels overlap -----------------
  function computeLayout() {
    widthNow = 0;
    var width = widthNow = chartWidth();
    if (!measure.ready) {
      measure.font = '13px ' + getComputedStyle(document.body).fontFamily;
      measure.ready = true;
    }
    var lanes = groups.map(function (g, gi) {
      return { g: gi, ends: [], placed: [], hidden: [], total: 0, over: 0 };
    });
    var visible = [];
    labelLimit = labelMax();
    // A lane holds at most about half a screen of rows (so that the opening view shows more
    // than one lane); the rest are counted in its name and appear as the reader zooms in.
    var maxRows = Math.max(6, Math.floor(($('tl-scroll').clientHeight - HEAD - 30) / ROW / 2));
    for (var i = 0; i < items.length; i++) {
      var item = items[i];
      if (!passes(item)) continue;
      lanes[item.g].total++;
      if (!inView(item)) continue;
      visible.push(item);
      var lane = lanes[item.g];
      var x0 = px(item.s), x1 = item.e === null ? x0 : px(item.e);
      var textX = item.e === null ? x0 + 9 : Math.max(x0, 0);
      var left = Math.min(x0 - 6, textX), right = Math.max(x1, textX + textWidth(item)) + GAP;
      var row = -1;
      for (var r = 0; r < lane.ends.length; r++) { if (lane.ends[r] <= left) { row = r; break; } }
      if (row === -1) {
        if (lane.ends.length >= maxRows && item.id !== state.selected) { lane.over++; lane.hidden.push(item); continue; }
        row = lane.ends.length;
        lane.ends.push(0);
      }
      lane.ends[row] = right;
      lane.placed.push({ item: item, row: row, x0: x0, x1: x1, textX: textX });
    }
    var top = 0, shown = [];
    lanes.forEach(function (lane) {
      if (!lane.total) return;
      lane.top = top;
      lane.rows = lane.ends.length;  // a lane with nothing in view keeps only its name
      top += HEAD + lane.rows * ROW + GAP;
      shown.push(lane);
    });
    layout = { lanes: shown, height: top, visible: visible, width: width };
  }

  // -- painting ----------------------------------------------------------------------------
  function paintAxis() {
    var axis = $('tl-axis'), width = chartWidth(), perYear = width / (state.to - state.from);
    axis.textContent = '';
    var steps = [1, 2, 5, 10, 20, 25, 50, 100, 200], step = steps[steps.length - 1];
    for (var s = 0; s < steps.length; s++) { if (steps[s] * perYear >= 56) { step = steps[s]; break; } }
    var months = perYear / 12 >= 64 ? 1 : perYear / 4 >= 64 ? 3 : 0;
    var start = Math.floor(state.from / step) * step;
    for (var y = start; y <= state.to; y += step) {
      var tick = el('div', 'tl-tick', String(y));
      tick.style.left = px(y) + 'px';
      axis.appendChild(tick);
      if (months) {
        for (var m = months; m < 12; m += months) {
          var minor = el('div', 'tl-tick minor', MONTHS[m]);
          minor.style.left = px(y + m / 12) + 'px';
          axis.appendChild(minor);
        }
      }
    }
    $('tl-range').textContent = 'Showing ' + fmtYear(state.from) + '–' + fmtYear(state.to - 1e-9);
    return { step: step, start: start };
  }
  var MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

  function paint() {
    var scroll = $('tl-scroll'), body = $('tl-body');
    var axisInfo = paintAxis();
    body.textContent = '';
    body.style.height = layout.height + 'px';
    var top = scroll.scrollTop - 300, bottom = scroll.scrollTop + scroll.clientHeight + 300;
    var gridTop = Math.max(0, scroll.scrollTop - 40), gridHeight = scroll.clientHeight + 80;
    for (var y = axisInfo.start; y <= state.to; y += axisInfo.step) {
      var line = el('div', 'tl-grid');
      line.style.left = px(y) + 'px';
      line.style.top = gridTop + 'px';
      line.style.height = Math.min(gridHeight, Math.max(0, layout.height - gridTop)) + 'px';
      body.appendChild(line);
    }
    if (!layout.lanes.length) {
      body.appendChild(el('p', 'tl-empty', 'Nothing to show: no item passes the filters.'));
    }
    layout.lanes.forEach(function (lane) {
      var laneBottom = lane.top + HEAD + lane.rows * ROW;
      if (laneBottom < top || lane.top > bottom) return;
      var group = groups[lane.g];
      var head = el('div', 'tl-lane-head');
      // The name of the lane at the top stays under the axis while its rows scroll by.
      head.style.top = Math.max(lane.top, Math.min(scroll.scrollTop, laneBottom - HEAD)) + 'px';
      var sw = el('span', 'swatch');
      sw.style.background = group.colour;
      head.appendChild(sw);
      head.appendChild(el('span', 'name', group.label));
      var inViewCount = lane.placed.length + lane.over;
      var note = inViewCount + ' in view';
      if (lane.over) note += ' · ' + lane.over + ' not drawn (zoom in)';
      head.title = group.label + ': ' + inViewCount + ' of ' + lane.total + ' in view' +
        (lane.over ? '; ' + lane.over + ' do not fit: zoom in, or see the list' : '');
      head.appendChild(el('span', 'count', note));
      body.appendChild(head);
      lane.placed.forEach(function (p) {
        var y = lane.top + HEAD + p.row * ROW + 2;
        if (y + ROW < top || y > bottom) return;
        body.appendChild(drawItem(p, y, group));
      });
    });
  }

  function drawItem(p, y, group) {
    var item = p.item;
    var node = el('button', 'tl-item' + (state.selected === item.id ? ' selected' : ''));
    node.type = 'button';
    node.tabIndex = -1;
    node.dataset.id = item.id;
    node.dataset.cls = item.cls;
    node.dataset.lane = group.key;
    var left = Math.min(p.x0 - 6, p.textX);
    node.style.left = left + 'px';
    node.style.top = y + 'px';
    var width = Math.max(p.x1, p.textX + textWidth(item)) - left;
    node.style.width = width + 'px';
    node.title = item.label + ' (' + item.class_label + ', ' + dateText(item) + ')';
    if (item.e === null) {
      var mark = el('span', 'mark');
      mark.style.left = (p.x0 - 5 - left) + 'px';
      mark.style.background = group.colour;
      node.appendChild(mark);
    } else {
      var bar = el('span', 'bar' + (item.planned ? ' planned' : ''));
      bar.style.left = (p.x0 - left) + 'px';
      bar.style.width = Math.max(4, p.x1 - p.x0) + 'px';
      bar.style.background = group.colour;
      node.appendChild(bar);
    }
    var text = el('span', 'text', shortLabel(item.label));
    text.style.left = (p.textX - left) + 'px';
    text.style.maxWidth = labelMax() + 'px';
    node.appendChild(text);
    return node;
  }

  function dateText(item) {
    var first = item.dates.length ? item.dates[0][1] : fmtYear(item.s);
    var ends = item.dates.filter(function (d) { return d[0] === 'end' || d[0] === 'planned end'; });
    return ends.length ? first + ' – ' + ends[0][1] + (ends[0][0] === 'planned end' ? ' (planned)' : '') : first;
  }

  // -- the list ----------------------------------------------------------------------------
  function paintList() {
    var list = $('tl-list'), shown = layout.visible;
    list.textContent = '';
    var current = state.selected;
    var limit = Math.min(shown.length, listShown);
    var hasCurrent = false;
    for (var i = 0; i < limit; i++) if (shown[i].id === current) hasCurrent = true;
    for (var k = 0; k < limit; k++) {
      var item = shown[k];
      var li = el('li');
      var b = el('button');
      b.type = 'button';
      b.dataset.id = item.id;
      b.tabIndex = (hasCurrent ? item.id === current : k === 0) ? 0 : -1;
      if (item.id === current) b.setAttribute('aria-current', 'true');
      var when = el('span', 'when', item.dates.length ? item.dates[0][1] : fmtYear(item.s));
      var ends = item.dates.filter(function (d) { return d[0] === 'end' || d[0] === 'planned end'; });
      if (ends.length) when.appendChild(el('span', 'until', 'to ' + ends[0][1] + (ends[0][0] === 'planned end' ? ' (planned)' : '')));
      b.appendChild(when);
      b.appendChild(el('span', 'what', item.label));
      var cls = el('span', 'cls');
      var sw = el('span', 'swatch');
      sw.style.background = groups[item.g].colour;
      cls.appendChild(sw);
      cls.appendChild(document.createTextNode(' ' + item.class_label));
      b.appendChild(cls);
      li.appendChild(b);
      list.appendChild(li);
    }
    var total = items.length;
    $('tl-list-status').textContent = shown.length + ' of ' + total + ' dated ' +
      (total === 1 ? 'entity' : 'entities') + ' (' + fmtYear(state.from) + '–' +
      fmtYear(state.to - 1e-9) + (state.q || state.hide.size ? ', filtered' : '') + ')' +
      (shown.length > limit ? '; the first ' + limit + ' listed' : '');
    $('tl-more').hidden = shown.length <= limit;
  }

  // -- details -----------------------------------------------------------------------------
  function sourceList(cites) {
    var ul = el('ul');
    cites.forEach(function (c) {
      var src = sources[c[0]], li = el('li');
      if (src.url) {
        var a = el('a', null, src.title);
        a.href = src.url;
        a.rel = 'noopener noreferrer';
        li.appendChild(a);
      } else {
        li.appendChild(el('span', null, src.title));
      }
      var meta = [src.kind];
      if (src.retrieved) meta.push('read ' + src.retrieved);
      meta.push(c[1].join('; '));
      li.appendChild(el('div', 'source-meta', meta.join(' · ')));
      ul.appendChild(li);
    });
    return ul;
  }

  function showDetails(item) {
    var box = $('tl-details'), body = $('tl-details-body');
    $('tl-details-heading').textContent = item.label;
    body.textContent = '';
    var group = groups[item.g];
    var kind = el('p', 'kind');
    var sw = el('span', 'swatch');
    sw.style.background = group.colour;
    kind.appendChild(sw);
    kind.appendChild(document.createTextNode(' ' + item.class_label + ' · ' + group.label));
    body.appendChild(kind);
    var dl = el('dl');
    item.dates.forEach(function (d, k) {
      dl.appendChild(el('dt', null, d[0]));
      var dd = el('dd', null, d[1]);
      if (item.dcites && item.dcites[k] && item.dcites[k].length) {
        var by = el('div', 'date-sources', 'according to ' + item.dcites[k].map(function (c) {
          return sources[c[0]].title;
        }).join('; '));
        dd.appendChild(by);
      }
      dl.appendChild(dd);
    });
    body.appendChild(dl);
    if (item.desc) body.appendChild(el('p', 'description', item.desc));
    var links = el('p', 'tl-links');
    if (item.page) {
      var a = el('a', null, data.site ? 'Entity page' : 'Its IRI');
      a.href = item.page;
      links.appendChild(a);
    }
    if (item.graph) {
      var g = el('a', null, 'In the network');
      g.href = item.graph;
      links.appendChild(g);
    }
    if (links.childNodes.length) body.appendChild(links);
    body.appendChild(el('h3', null, 'Sources (' + item.cites.length + ' document' +
      (item.cites.length === 1 ? '' : 's') + ')'));
    if (item.cites.length) body.appendChild(sourceList(item.cites));
    else body.appendChild(el('p', null, 'No source recorded.'));
    body.appendChild(el('p', 'source-meta', item.id));
    box.hidden = false;
    box.scrollTop = 0;
  }

  function select(id, options) {
    var item = byId.get(id);
    if (!item) return false;
    options = options || {};
    state.selected = id;
    if (!passes(item)) { state.hide.delete(groups[item.g].key); state.hide.delete(item.cls); syncLegend(); }
    if (!inView(item)) {
      var width = Math.max(state.to - state.from, endOf(item) - item.s + 1);
      var mid = (item.s + endOf(item)) / 2;
      state.from = mid - width / 2; state.to = mid + width / 2;
    }
    showDetails(item);
    $('tl-live').textContent = item.label;
    update();
    scrollChartTo(item);
    if (options.focus !== false) $('tl-details-heading').focus();
    return true;
  }

  function scrollChartTo(item) {
    var scroll = $('tl-scroll');
    layout.lanes.forEach(function (lane) {
      lane.placed.forEach(function (p) {
        if (p.item !== item) return;
        var y = lane.top + HEAD + p.row * ROW;
        if (y < scroll.scrollTop + 40 || y > scroll.scrollTop + scroll.clientHeight - 3 * ROW ||
            window.matchMedia('(max-width: 760px)').matches) {
          // on a phone the details cover the lower part: bring the item near the top
          var narrow = window.matchMedia('(max-width: 760px)').matches;
          scroll.scrollTop = Math.max(0, y - (narrow ? 2 * ROW : scroll.clientHeight / 3));
        }
      });
    });
  }

  function closeDetails() {
    var id = state.selected;
    state.selected = null;
    $('tl-details').hidden = true;
    $('tl-live').textContent = '';
    update();
    var back = id && document.querySelector('#tl-list button[data-id="' + CSS.escape(id) + '"]');
    (back || $('tl-search-input')).focus();
  }

  // -- search ------------------------------------------------------------------------------
  var searchTimer = null;
  function search() {
    state.q = fold($('tl-search-input').value.trim());
    listShown = LIST_PAGE;
    var results = $('tl-results');
    results.textContent = '';
    if (!state.q) {
      results.hidden = true;
      $('tl-search-status').textContent = '';
      update();
      return;
    }
    var found = items.filter(function (item) { return item.key.indexOf(state.q) !== -1; });
    found.slice(0, 100).forEach(function (item, k) {
      var li = el('li');
      li.setAttribute('role', 'option');
      li.id = 'tl-opt-' + k;
      li.dataset.id = item.id;
      li.setAttribute('aria-selected', k === 0 ? 'true' : 'false');
      li.appendChild(el('span', 'label', item.label));
      var cls = el('span', 'cls');
      var sw = el('span', 'swatch');
      sw.style.background = groups[item.g].colour;
      cls.appendChild(sw);
      cls.appendChild(document.createTextNode(' ' + item.class_label + ', ' + fmtYear(item.s)));
      li.appendChild(cls);
      results.appendChild(li);
    });
    results.hidden = !found.length;
    results.tabIndex = found.length ? 0 : -1;
    if (found.length) results.setAttribute('aria-activedescendant', 'tl-opt-0');
    $('tl-search-status').textContent = found.length
      ? found.length + (found.length === 1 ? ' match' : ' matches') +
        (found.length > 100 ? ' (the first 100 listed)' : '') + ': Tab to the list, Enter to choose'
      : 'No dated entity matches “' + $('tl-search-input').value.trim() + '”.';
    update();
  }
  function activeOption() {
    var id = $('tl-results').getAttribute('aria-activedescendant');
    return id ? $(id) : null;
  }
  function moveOption(step) {
    var options = Array.prototype.slice.call($('tl-results').children);
    if (!options.length) return;
    var at = options.indexOf(activeOption());
    var next = options[clamp(at + step, 0, options.length - 1)];
    options.forEach(function (o) { o.setAttribute('aria-selected', o === next ? 'true' : 'false'); });
    $('tl-results').setAttribute('aria-activedescendant', next.id);
    next.scrollIntoView({ block: 'nearest' });
  }

  // -- legend ------------------------------------------------------------------------------
  function buildLegend() {
    var legend = $('tl-legend');
    groups.forEach(function (group) {
      var count = group.classes.reduce(function (n, c) { return n + c.count; }, 0);
      var li = el('li');
      var label = el('label');
      var box = el('input');
      box.type = 'checkbox';
      box.dataset.key = group.key;
      label.appendChild(box);
      var sw = el('span', 'swatch');
      sw.style.background = group.colour;
      label.appendChild(document.createTextNode(' '));
      label.appendChild(sw);
      label.appendChild(document.createTextNode(' ' + group.label + ' '));
      label.appendChild(el('span', 'count', '(' + count + ')'));
      li.appendChild(label);
      if (group.classes.length) {
        var more = el('details');
        more.appendChild(el('summary', null, 'classes'));
        var inner = el('div', 'classes');
        group.classes.forEach(function (c) {
          var cl = el('label'), cb = el('input');
          cb.type = 'checkbox';
          cb.dataset.key = c.curie;
          cl.appendChild(cb);
          cl.appendChild(document.createTextNode(' ' + c.label + ' '));
          cl.appendChild(el('span', 'count', '(' + c.count + ')'));
          inner.appendChild(cl);
        });
        more.appendChild(inner);
        li.appendChild(more);
      }
      legend.appendChild(li);
    });
    legend.addEventListener('change', function (event) {
      var key = event.target.dataset.key;
      if (!key) return;
      if (event.target.checked) state.hide.delete(key); else state.hide.add(key);
      listShown = LIST_PAGE;
      update();
    });
  }
  function syncLegend() {
    document.querySelectorAll('#tl-legend input').forEach(function (box) {
      box.checked = !state.hide.has(box.dataset.key);
    });
  }

  // -- permalinks --------------------------------------------------------------------------
  function writeHash() {
    var parts = [];
    if (state.selected) parts.push('select=' + encodeURIComponent(state.selected));
    parts.push('from=' + Math.floor(state.from + 1e-6));
    parts.push('to=' + Math.max(Math.floor(state.from + 1e-6), Math.ceil(state.to - 1e-6) - 1));
    if (state.hide.size) parts.push('hide=' + Array.from(state.hide).sort().map(encodeURIComponent).join(','));
    if (state.q) parts.push('q=' + encodeURIComponent($('tl-search-input').value.trim()));
    var hash = '#' + parts.join('&');
    if (location.hash === hash) return;
    try {
      history.replaceState(null, '', hash);
    } catch (error) {  // a sandboxed frame (a notebook's) may not change its address
    }
  }
  function readHash() {
    var params = new URLSearchParams(location.hash.replace(/^#/, ''));
    state.hide = new Set((params.get('hide') || '').split(',').filter(Boolean));
    syncLegend();
    if (params.has('q')) { $('tl-search-input').value = params.get('q'); search(); }
    var from = parseInt(params.get('from'), 10), to = parseInt(params.get('to'), 10);
    if (isFinite(from) && isFinite(to) && to >= from) { state.from = from; state.to = to + 1; update(); }
    else fit();
    var chosen = params.get('select');
    if (chosen && byId.has(chosen)) select(chosen, { focus: false });
  }

  // -- updates -----------------------------------------------------------------------------
  var hashTimer = null;
  function update() {
    computeLayout();
    paint();
    if ($('tl-scroll').clientWidth !== widthNow) {  // a scroll bar came or went
      computeLayout();
      paint();
    }
    paintList();
    $('tl-from').value = Math.floor(state.from + 1e-6);
    $('tl-to').value = Math.max(Math.floor(state.from + 1e-6), Math.ceil(state.to - 1e-6) - 1);
    clearTimeout(hashTimer);
    hashTimer = setTimeout(writeHash, 60);
  }
  var painting = false;
  function repaintSoon() {
    if (painting) return;
    painting = true;
    requestAnimationFrame(function () { painting = false; paint(); });
  }

  // -- events ------------------------------------------------------------------------------
  function wire() {
    $('tl-zoom-in').addEventListener('click', function () { zoom(2); });
    $('tl-zoom-out').addEventListener('click', function () { zoom(0.5); });
    $('tl-fit').addEventListener('click', fit);
    $('tl-scroll').addEventListener('scroll', repaintSoon);
    window.addEventListener('resize', function () { update(); });
    $('tl-chart').addEventListener('wheel', function (event) {
      var box = $('tl-scroll').getBoundingClientRect();
      var overAxis = $('tl-axis').contains(event.target);
      if (event.ctrlKey || overAxis) {
        event.preventDefault();
        zoom(Math.exp(-event.deltaY * 0.0025), yearAt(event.clientX - box.left));
      } else if (Math.abs(event.deltaX) > Math.abs(event.deltaY) || event.shiftKey) {
        event.preventDefault();
        pan((event.shiftKey ? event.deltaY : event.deltaX) / chartWidth());
      }
    }, { passive: false });
    $('tl-chart').addEventListener('keydown', function (event) {
      var keys = { ArrowLeft: -0.2, ArrowRight: 0.2 };
      if (event.key in keys) { pan(keys[event.key]); event.preventDefault(); }
      else if (event.key === '+' || event.key === '=') { zoom(2); event.preventDefault(); }
      else if (event.key === '-' || event.key === '_') { zoom(0.5); event.preventDefault(); }
      else if (event.key === '0') { fit(); event.preventDefault(); }
      else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        $('tl-scroll').scrollTop += event.key === 'ArrowDown' ? 60 : -60;
        event.preventDefault();
      }
    });
    wirePointer();
    $('tl-body').addEventListener('click', function (event) {
      var target = event.target.closest('.tl-item');
      if (target && !dragged) select(target.dataset.id);
    });
    $('tl-list').addEventListener('click', function (event) {
      var b = event.target.closest('button');
      if (b) select(b.dataset.id);
    });
    $('tl-list').addEventListener('keydown', function (event) {
      if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
      var buttons = Array.prototype.slice.call(document.querySelectorAll('#tl-list button'));
      var at = buttons.indexOf(document.activeElement);
      var next = buttons[clamp(at + (event.key === 'ArrowDown' ? 1 : -1), 0, buttons.length - 1)];
      if (next) {
        buttons.forEach(function (b) { b.tabIndex = b === next ? 0 : -1; });
        next.focus();
        event.preventDefault();
      }
    });
    $('tl-more').addEventListener('click', function () { listShown += LIST_PAGE; paintList(); });
    $('tl-details-close').addEventListener('click', closeDetails);
    document.addEventListener('keydown', function (event) {
      if (event.key === 'Escape' && state.selected) closeDetails();
    });
    var input = $('tl-search-input');
    input.addEventListener('input', function () {
      clearTimeout(searchTimer);
      searchTimer = setTimeout(search, 150);
    });
    input.addEventListener('keydown', function (event) {
      if (event.key === 'Enter' || event.key === 'ArrowDown') {
        clearTimeout(searchTimer);
        search();
        if (!$('tl-results').hidden) $('tl-results').focus();
        event.preventDefault();
      }
    });
    var results = $('tl-results');
    results.addEventListener('keydown', function (event) {
      if (event.key === 'ArrowDown') { moveOption(1); event.preventDefault(); }
      else if (event.key === 'ArrowUp') { moveOption(-1); event.preventDefault(); }
      else if (event.key === 'Enter' || event.key === ' ') {
        var option = activeOption();
        if (option) select(option.dataset.id);
        event.preventDefault();
      }
    });
    results.addEventListener('click', function (event) {
      var option = event.target.closest('li');
      if (option) select(option.dataset.id);
    });
    function years() {
      var from = parseInt($('tl-from').value, 10), to = parseInt($('tl-to').value, 10);
      if (isFinite(from) && isFinite(to) && to >= from) setView(from, to + 1);
    }
    $('tl-from').addEventListener('change', years);
    $('tl-to').addEventListener('change', years);
    window.addEventListener('hashchange', readHash);
  }

  var dragged = false;
  function wirePointer() {
    var body = $('tl-body'), pointers = new Map(), last = null, first = null, pinch = null;
    body.addEventListener('pointerdown', function (event) {
      pointers.set(event.pointerId, event.clientX);
      dragged = false;
      last = first = event.clientX;
      if (pointers.size === 2) {
        var xs = Array.from(pointers.values());
        pinch = { distance: Math.abs(xs[0] - xs[1]), from: state.from, to: state.to, mid: (xs[0] + xs[1]) / 2 };
      }
    });
    body.addEventListener('pointermove', function (event) {
      if (!pointers.has(event.pointerId)) return;
      pointers.set(event.pointerId, event.clientX);
      if (pinch && pointers.size === 2) {
        var xs = Array.from(pointers.values()), distance = Math.abs(xs[0] - xs[1]);
        if (distance > 10 && pinch.distance > 10) {
          var left = $('tl-scroll').getBoundingClientRect().left;
          var at = pinch.from + (pinch.mid - left) / chartWidth() * (pinch.to - pinch.from);
          var factor = distance / pinch.distance;
          state.from = pinch.from; state.to = pinch.to;
          zoom(factor, at);
          dragged = true;
        }
        return;
      }
      var dx = event.clientX - last;
      if (dragged || Math.abs(event.clientX - first) > 6) {  // a tap may move a little
        dragged = true;
        last = event.clientX;
        pan(-dx / chartWidth());
      }
    });
    function end(event) {
      pointers.delete(event.pointerId);
      if (pointers.size < 2) pinch = null;
    }
    body.addEventListener('pointerup', end);
    body.addEventListener('pointercancel', end);
  }

  function start() {
    if (window.matchMedia('(min-width: 761px)').matches) $('tl-controls').open = true;
    buildLegend();
    syncLegend();
    wire();
    readHash();
    document.body.dataset.stable = 'true';
  }

  window.vetgraphTimeline = {
    select: function (id) { return select(id, { focus: false }); },
    zoom: zoom,
    fit: fit,
    pan: pan,
    view: function () { return [state.from, state.to]; },
    listed: function () { return layout.visible.map(function (i) { return i.id; }); },
    placed: function () {
      var out = [];
      layout.lanes.forEach(function (lane) {
        lane.placed.forEach(function (p) { out.push([p.item.id, groups[lane.g].key, p.row]); });
        lane.hidden.forEach(function (item) { out.push([item.id, groups[lane.g].key, null]); });
      });
      return out;
    },
    items: items
  };
  start();
})();
