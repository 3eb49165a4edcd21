/* vetgraph's label placement for the network page: labels drawn by level of detail.
 * Sigma's own label grid can let labels overlap, so the page draws its labels itself, on a
 * canvas over sigma's: the labels that must show first (the selection and its neighbours),
 * then the others by importance, each at the first of a few spots beside its node where it
 * overlaps no label already placed; a label that finds no free spot is not drawn. Every
 * label is drawn at FONT_SIZE px (at least 11 px tall) whatever the zoom. */
(function () {
  "use strict";

  var FONT_SIZE = 13;
  var FONT = FONT_SIZE + "px system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
  var BOLD = "600 " + FONT;
  var PAD = 2;            /* space kept around every label's box */
  var MAX_CHARS = 36;     /* longer labels are shortened on the canvas (whole in the details) */
  var CELL = 64;          /* the grid that finds neighbouring boxes quickly */
  var MAX_LABELS = 400;   /* a bound on the work per frame on very large graphs */
  var MAX_TRIES = 6000;

  function shorten(label) {
    return label.length <= MAX_CHARS ? label : label.slice(0, MAX_CHARS - 1).trimEnd() + "\u2026";
  }

  function Grid() { this.cells = new Map(); }
  Grid.prototype.keys = function (b) {
    var out = [];
    for (var gx = Math.floor(b.x / CELL); gx <= Math.floor((b.x + b.w) / CELL); gx++) {
      for (var gy = Math.floor(b.y / CELL); gy <= Math.floor((b.y + b.h) / CELL); gy++) {
        out.push(gx + "," + gy);
      }
    }
    return out;
  };
  Grid.prototype.free = function (b) {
    var keys = this.keys(b);
    for (var i = 0; i < keys.length; i++) {
      var boxes = this.cells.get(keys[i]);
      if (!boxes) continue;
      for (var j = 0; j < boxes.length; j++) {
        var o = boxes[j];
        if (b.x < o.x + o.w + PAD && o.x < b.x + b.w + PAD &&
            b.y < o.y + o.h + PAD && o.y < b.y + b.h + PAD) return false;
      }
    }
    return true;
  };
  Grid.prototype.add = function (b) {
    var cells = this.cells;
    this.keys(b).forEach(function (k) {
      if (!cells.has(k)) cells.set(k, []);
      cells.get(k).push(b);
    });
  };

  /* The spots tried for a label beside a node at (x, y) of radius r, best first. */
  function spots(x, y, r, w, h, many) {
    var gap = r + 3;
    var out = [{ x: x + gap, y: y - h / 2 }];  /* right */
    if (many) {
      out.push({ x: x - gap - w, y: y - h / 2 });   /* left */
      out.push({ x: x - w / 2, y: y - gap - h });   /* above */
      out.push({ x: x - w / 2, y: y + gap });       /* below */
      out.push({ x: x + gap, y: y - gap - h });     /* above right */
      out.push({ x: x + gap, y: y + gap });         /* below right */
      out.push({ x: x - gap - w, y: y - gap - h }); /* above left */
      out.push({ x: x - gap - w, y: y + gap });     /* below left */
    }
    return out;
  }

  /* Place labels. nodes: [{key, label, x, y, r, must, strong}] in viewport px, in the order
   * to try; width(text, strong) measures text; reserved: boxes kept free. Returns the drawn labels' boxes. */
  function place(nodes, width, viewport, reserved) {
    var grid = new Grid(), drawn = [], tries = 0;
    (reserved || []).forEach(function (b) { grid.add(b); });  /* e.g. the zoom buttons */
    for (var i = 0; i < nodes.length && tries < MAX_TRIES; i++) {
      var n = nodes[i];
      if (!n.must && drawn.length >= MAX_LABELS) break;
      tries++;
      var text = shorten(n.label), h = FONT_SIZE + 4;
      var w = width(text, n.strong) + 6;
      var options = spots(n.x, n.y, n.r, w, h, n.must || drawn.length < 150);
      for (var k = 0; k < options.length; k++) {
        var b = { x: options[k].x, y: options[k].y, w: w, h: h };
        if (b.x < 0 || b.y < 0 || b.x + b.w > viewport.width || b.y + b.h > viewport.height) continue;
        if (!grid.free(b)) continue;
        grid.add(b);
        drawn.push({ key: n.key, text: text, strong: !!n.strong, must: !!n.must,
                     x: b.x, y: b.y, width: b.w, height: b.h, fontSize: FONT_SIZE });
        break;
      }
    }
    return drawn;
  }

  function draw(ctx, drawn, ratio) {
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.textBaseline = "middle";
    ctx.lineJoin = "round";
    drawn.forEach(function (d) {
      ctx.font = d.strong ? BOLD : FONT;
      var tx = d.x + 3, ty = d.y + d.height / 2;
      ctx.lineWidth = 4;
      ctx.strokeStyle = "rgba(255,255,255,0.92)";
      ctx.strokeText(d.text, tx, ty);
      ctx.fillStyle = d.strong ? "#000" : "#1b1f23";
      ctx.fillText(d.text, tx, ty);
    });
  }

  window.vetgraphLabels = { place: place, draw: draw, FONT: FONT, BOLD: BOLD, FONT_SIZE: FONT_SIZE, shorten: shorten };
})();
