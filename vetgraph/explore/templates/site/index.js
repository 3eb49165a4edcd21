(function () {
  "use strict";
  // The index's search: every entity whose name, other names or description holds every word
  // typed, ignoring case and accents; all matches listed, best first (exact name, name starts
  // with, name holds, other name holds, description holds). Keyboard: arrows, Home/End, Enter.
  var data = JSON.parse(document.getElementById("vg-search-data").textContent);
  var input = document.getElementById("vg-q");
  var list = document.getElementById("vg-results");
  var status = document.getElementById("vg-status");
  var SHOWN = 500;
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, " ").trim();
  }
  var rows = data.entities.map(function (e) {
    return { e: e, name: fold(e.l), alt: fold(e.a.join(" ")), text: fold(e.d) };
  });
  function rank(row, q, words) {
    var all = function (hay) { return words.every(function (w) { return hay.indexOf(w) >= 0; }); };
    if (row.name === q) return 0;
    if (row.name.indexOf(q) === 0) return 1;
    if (all(row.name)) return 2;
    if (all(row.name + " " + row.alt)) return 3;
    if (all(row.name + " " + row.alt + " " + row.text)) return 4;
    return -1;
  }
  var matches = [], active = -1;
  function option(match, index) {
    var li = document.createElement("li");
    li.id = "vg-r" + index;
    li.setAttribute("role", "option");
    li.setAttribute("aria-selected", "false");
    li.dataset.href = match.e.p;
    var dot = document.createElement("span");
    dot.className = "dot g-" + match.e.g;
    dot.setAttribute("aria-hidden", "true");
    var name = document.createElement("span");
    name.className = "name";
    name.textContent = match.e.l;
    var cls = document.createElement("span");
    cls.className = "cls";
    cls.textContent = match.e.c;
    var text = document.createElement("span");
    text.className = "text";
    text.append(name, " ", cls);
    if (match.why) {
      var why = document.createElement("span");
      why.className = "why";
      why.textContent = match.why;
      text.append(why);
    }
    li.append(dot, text);
    li.addEventListener("click", function () { location.href = match.e.p; });
    return li;
  }
  function search() {
    var q = fold(input.value), words = q ? q.split(" ") : [];
    matches = [];
    list.replaceChildren();
    active = -1;
    input.removeAttribute("aria-activedescendant");
    if (!words.length) {
      status.textContent = "";
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      return;
    }
    rows.forEach(function (row) {
      var r = rank(row, q, words);
      if (r >= 0) {
        matches.push({ e: row.e, r: r, why: r === 3 ? "other name: " + row.e.a.join(", ")
          : r === 4 ? "in its description" : "" });
      }
    });
    matches.sort(function (a, b) { return a.r - b.r || a.e.l.localeCompare(b.e.l); });
    var shown = matches.slice(0, SHOWN);
    list.append.apply(list, shown.map(option));
    input.setAttribute("aria-expanded", matches.length ? "true" : "false");
    list.hidden = !matches.length;
    status.textContent = matches.length === 0 ? "No entity matches." :
      matches.length + (matches.length === 1 ? " match" : " matches") +
      (matches.length > SHOWN ? "; the first " + SHOWN + " are shown, add a word to narrow" : "") +
      ". Arrow keys choose, Enter opens.";
  }
  function choose(index) {
    var items = list.children;
    if (!items.length) return;
    if (active >= 0 && items[active]) items[active].setAttribute("aria-selected", "false");
    active = Math.max(0, Math.min(index, items.length - 1));
    items[active].setAttribute("aria-selected", "true");
    input.setAttribute("aria-activedescendant", items[active].id);
    items[active].scrollIntoView({ block: "nearest" });
  }
  input.addEventListener("input", search);
  input.addEventListener("keydown", function (event) {
    var n = list.children.length;
    if (event.key === "ArrowDown") { choose(active + 1); event.preventDefault(); }
    else if (event.key === "ArrowUp") { choose(active - 1); event.preventDefault(); }
    else if (event.key === "Home" && n && active >= 0) { choose(0); event.preventDefault(); }
    else if (event.key === "End" && n && active >= 0) { choose(n - 1); event.preventDefault(); }
    else if (event.key === "Enter") {
      var target = list.children[active >= 0 ? active : 0];
      if (target) { location.href = target.dataset.href; }
      event.preventDefault();
    } else if (event.key === "Escape") { input.value = ""; search(); }
  });
  var start = new URLSearchParams(location.hash.slice(1)).get("q");
  if (start) { input.value = start; search(); }
  document.getElementById("vg-search").hidden = false;
  document.getElementById("vg-nojs").hidden = true;
})();
