// controlmap's web page: the time slider, tooltips and live counts over the inline SVG.
// Hand-written and dependency-free on purpose: the page is one file that must work from
// file:// and inside a CMS iframe, so it loads nothing and talks to no server.
(function () {
  "use strict";
  var dataEl = document.getElementById("cm-data");
  var svg = document.getElementById("cm-map");
  if (!dataEl || !svg || !window.JSON) return;
  var D = JSON.parse(dataEl.textContent);
  var NS = "http://www.w3.org/2000/svg";
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"];
  var byId = function (id) { return document.getElementById(id); };
  var paths = svg.querySelectorAll("#districts > path");
  var n = D.dates.length, m = paths.length;

  function long(iso) {
    var p = iso.split("-");
    return MONTHS[+p[1] - 1] + " " + (+p[2]) + ", " + p[0];
  }

  // Each date's state per district, from the first date's and the changes after it.
  var S = [D.s0];
  for (var i = 1; i < n; i++) {
    var row = S[i - 1].slice(), c = D.ch[i - 1];
    for (var k = 0; k < c.length; k += 2) row[c[k]] = c[k + 1];
    S.push(row);
  }
  var F = 6; // fields per state: fill, status, since, source, note, changed
  function field(state, f) { return D.st[state * F + f]; }
  function str(v) { return v < 0 ? null : D.strings[v]; }

  // Captured capitals: which are captured on each date.
  var capG = byId("capitals"), CAP = null;
  if (D.cap && capG) {
    CAP = [D.cap.c0];
    for (i = 1; i < n; i++) {
      var bits = CAP[i - 1].split(""), t = D.cap.ch[i - 1];
      for (k = 0; k < t.length; k++) bits[t[k]] = bits[t[k]] === "1" ? "0" : "1";
      CAP.push(bits.join(""));
    }
  }

  // The legend: a live region, its count per key.
  var legend = byId("legend");
  if (legend && D.nd && !legend.querySelector('g[data-key="no-data"]')) {
    legend.insertAdjacentHTML("beforeend", D.nd);
    legend.lastElementChild.setAttribute("display", "none");
  }
  var entries = D.keys.map(function (key) {
    if (!legend) return null;
    var gs = legend.querySelectorAll("g[data-key]");
    for (var j = 0; j < gs.length; j++) if (gs[j].getAttribute("data-key") === key) return gs[j];
    return null;
  });
  var live = byId("cm-live");
  if (legend) {
    legend.setAttribute("role", "status");
    legend.setAttribute("aria-live", "polite");
    if (live) live.removeAttribute("aria-live");
  }

  var hatchG = byId("changed-since");
  var slider = byId("cm-slider"), when = byId("cm-when"), play = byId("cm-play");
  var controls = byId("cm-controls");
  var shown = -1, shownRow = null, shownCap = null;

  function setHash(iso) {
    var h = "#date=" + iso;
    if (location.hash === h) return;
    try { history.replaceState(null, "", h); } catch (e) {
      try { location.replace(h); } catch (e2) { /* a sandbox without navigation */ }
    }
  }

  // The page's date for a #date= fragment: that date, or the last one on or before it.
  function fromHash() {
    var r = /(?:^#|&)date=(\d{4}-\d{2}-\d{2})(?:&|$)/.exec(location.hash);
    if (!r) return -1;
    var at = 0;
    for (var j = 0; j < n; j++) if (D.dates[j] <= r[1]) at = j;
    return at;
  }

  function show(i, fromFragment) {
    i = Math.max(0, Math.min(n - 1, i | 0));
    var row = S[i];
    for (var d = 0; d < m; d++) {
      if (shownRow && shownRow[d] === row[d]) continue;
      var s = row[d], p = paths[d];
      p.setAttribute("fill", D.colors[field(s, 0)]);
      p.setAttribute("data-status", D.keys[field(s, 1)]);
      var src = str(field(s, 3));
      if (src === null) p.removeAttribute("data-source"); else p.setAttribute("data-source", src);
      if (field(s, 5)) p.setAttribute("data-changed", "true"); else p.removeAttribute("data-changed");
    }
    if (hatchG && (!shownRow || shownRow !== row)) {
      while (hatchG.firstChild) hatchG.removeChild(hatchG.firstChild);
      for (d = 0; d < m; d++) {
        if (!field(row[d], 5)) continue;
        var h = document.createElementNS(NS, "path");
        h.setAttribute("data-id", paths[d].getAttribute("data-id"));
        h.setAttribute("d", paths[d].getAttribute("d"));
        hatchG.appendChild(h);
      }
    }
    shownRow = row;
    if (CAP && CAP[i] !== shownCap) {
      shownCap = CAP[i];
      var html = "";
      for (k = 0; k < shownCap.length; k++) html += D.cap.v[k][shownCap[k] === "1" ? 1 : 0];
      capG.innerHTML = html;
    }
    // Place states, their legend lines and annotations: each layer's content for the date.
    for (k = 0; D.ed && k < D.ed.length; k++) {
      var ed = D.ed[k], edG = byId(ed.id);
      if (edG && ed.shown !== ed.at[i]) {
        ed.shown = ed.at[i];
        edG.innerHTML = ed.v[ed.at[i]];
      }
    }
    var counts = D.counts[i], spoken = [];
    for (k = 0; k < entries.length; k++) {
      var g = entries[k];
      spoken.push(D.labels[k] + " " + counts[k]);
      if (!g) continue;
      var count = g.querySelector("text.count");
      if (count) count.textContent = String(counts[k]);
      if (D.ndAuto && D.keys[k] === "no-data") {
        if (counts[k] > 0) g.removeAttribute("display"); else g.setAttribute("display", "none");
      }
    }
    for (var id in D.text) {
      var el = byId(id);
      if (el && D.text[id][i] !== null) el.textContent = D.text[id][i];
    }
    for (id in D.notes) {
      var note = byId(id), ts = note && note.querySelector("tspan");
      if (ts) ts.textContent = String(D.notes[id][i]);
    }
    var date = long(D.dates[i]);
    if (slider) {
      slider.value = String(i);
      slider.setAttribute("aria-valuetext", date);
    }
    if (when) when.textContent = date;
    if (live) live.textContent = date + ": " + spoken.join(", ");
    shown = i;
    document.documentElement.setAttribute("data-date", D.dates[i]);
    if (!fromFragment && n > 1) setHash(D.dates[i]);
    if (tipFor !== null) showTip(tipFor, tipAt);
  }

  // Play / pause: one date at a time, from the start again when at the end.
  var timer = null;
  var stepMs = Math.max(350, Math.min(900, Math.round(20000 / Math.max(n, 1))));
  function setPlaying(on) {
    if (on && !timer) {
      if (shown >= n - 1) show(0);
      timer = setInterval(function () {
        if (shown >= n - 1) { setPlaying(false); return; }
        show(shown + 1);
      }, stepMs);
    } else if (!on && timer) {
      clearInterval(timer);
      timer = null;
    }
    if (play) {
      play.setAttribute("aria-pressed", timer ? "true" : "false");
      play.innerHTML = timer ? "&#10074;&#10074; Pause" : "&#9654;&#xFE0E; Play";
    }
  }
  function step(by) { setPlaying(false); show(shown + by); }

  if (controls && n > 1) {
    controls.hidden = false;
    slider.addEventListener("input", function () { setPlaying(false); show(+slider.value); });
    byId("cm-prev").addEventListener("click", function () { step(-1); });
    byId("cm-next").addEventListener("click", function () { step(1); });
    play.addEventListener("click", function () { setPlaying(!timer); });
  }

  document.addEventListener("keydown", function (e) {
    if (n < 2 || e.altKey || e.ctrlKey || e.metaKey) return;
    var t = e.target, tag = t && t.tagName;
    var key = e.key;
    if (key === "Escape") { hideTip(); return; }
    if (tag === "TEXTAREA" || tag === "SELECT" || (t && t.isContentEditable)) return;
    // The slider moves itself with the arrows, Home and End; only space is ours there.
    if (tag === "INPUT" && (t !== slider || key !== " ")) return;
    if (tag === "BUTTON" && (key === " " || key === "Enter")) return;
    if (key === "ArrowRight") step(1);
    else if (key === "ArrowLeft") step(-1);
    else if (key === "Home") { setPlaying(false); show(0); }
    else if (key === "End") { setPlaying(false); show(n - 1); }
    else if (key === " " || key === "Spacebar") setPlaying(!timer);
    else return;
    e.preventDefault();
  });

  window.addEventListener("hashchange", function () {
    var at = fromHash();
    if (at >= 0 && at !== shown) show(at, true);
  });

  // Tooltips on hover, tap and keyboard focus; the district under them outlined.
  var stage = byId("cm-stage"), tip = byId("cm-tip");
  var outline = document.createElementNS(NS, "path");
  outline.setAttribute("id", "cm-hover");
  outline.setAttribute("fill", "none");
  outline.setAttribute("stroke", "#111111");
  outline.setAttribute("stroke-width", "2.5");
  outline.setAttribute("stroke-linejoin", "round");
  outline.setAttribute("vector-effect", "non-scaling-stroke");
  outline.setAttribute("pointer-events", "none");
  outline.setAttribute("display", "none");
  var districtsG = byId("districts");
  // Over the borders, under the place labels: after the outline layer if there is one.
  var after = byId("outline") || byId("provinces") || byId("borders") || districtsG;
  if (after && after.parentNode) after.parentNode.insertBefore(outline, after.nextSibling);
  var tipFor = null, tipAt = null;
  // The districts are the tab stops, not the drawing around them.
  svg.setAttribute("tabindex", "-1");
  var index = new Map();
  for (var d0 = 0; d0 < m; d0++) {
    index.set(paths[d0], d0);
    paths[d0].setAttribute("tabindex", "0");
    paths[d0].setAttribute("aria-describedby", "cm-tip");
  }

  function line(parent, text, cls) {
    var el = document.createElement(cls === "name" ? "strong" : "span");
    if (cls) el.className = "cm-tip-" + cls;
    el.textContent = text;
    parent.appendChild(el);
    return el;
  }

  function showTip(d, at) {
    var p = paths[d], s = shownRow[d];
    tip.textContent = "";
    line(tip, p.getAttribute("data-name") || p.getAttribute("data-id") || "", "name");
    var province = p.getAttribute("data-province");
    if (province) line(tip, province, "province");
    var status = line(tip, D.labels[field(s, 1)], "status");
    var sw = document.createElement("i");
    sw.className = "cm-swatch";
    sw.style.background = D.colors[field(s, 0)];
    status.insertBefore(sw, status.firstChild);
    var since = str(field(s, 2));
    if (since) line(tip, "since " + since, "since");
    var source = str(field(s, 3)), note = str(field(s, 4));
    if (source) line(tip, "Source: " + source, "source");
    if (note) line(tip, "Note: " + note, "note");
    tip.hidden = false;
    tipFor = d;
    tipAt = at;
    outline.setAttribute("d", p.getAttribute("d"));
    outline.removeAttribute("display");
    var box = stage.getBoundingClientRect();
    var x, y;
    if (at) { x = at[0] - box.left; y = at[1] - box.top; } else {
      var r = p.getBoundingClientRect();
      x = r.left + r.width / 2 - box.left;
      y = r.top + r.height / 2 - box.top;
    }
    var w = tip.offsetWidth, hgt = tip.offsetHeight, gap = 14;
    var left = x + gap + w > box.width ? x - gap - w : x + gap;
    var top = y + gap + hgt > box.height ? y - gap - hgt : y + gap;
    tip.style.left = Math.max(0, Math.min(left, box.width - w)) + "px";
    tip.style.top = Math.max(0, top) + "px";
  }

  function hideTip() {
    tip.hidden = true;
    tipFor = null;
    outline.setAttribute("display", "none");
  }

  svg.addEventListener("pointermove", function (e) {
    if (e.pointerType === "touch") return;
    var d = index.get(e.target);
    if (d === undefined) { hideTip(); return; }
    showTip(d, [e.clientX, e.clientY]);
  });
  svg.addEventListener("pointerleave", function (e) { if (e.pointerType !== "touch") hideTip(); });
  // A tap shows the district's tooltip; a tap elsewhere on the map hides it.
  svg.addEventListener("pointerup", function (e) {
    if (e.pointerType !== "touch" && e.pointerType !== "pen") return;
    var d = index.get(e.target);
    if (d === undefined) hideTip(); else showTip(d, [e.clientX, e.clientY]);
  });
  svg.addEventListener("focusin", function (e) {
    var d = index.get(e.target);
    if (d !== undefined) showTip(d, null);
  });
  svg.addEventListener("focusout", function () { hideTip(); });

  var start = fromHash();
  show(start >= 0 ? start : n - 1, start < 0);
})();
