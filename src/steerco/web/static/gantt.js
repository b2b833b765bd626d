/* steerco Gantt chart. Draws only the rows in view (plus a margin), so a 10,000-task plan
   scrolls as smoothly as a 10-task one. Data comes from /projects/KEY/gantt.json; an edit
   of a duration or of predecessors posts to the server, which reschedules and answers the
   whole plan again, and the chart is redrawn in place. No inline scripts: CSP forbids them. */
(function () {
  "use strict";
  var root = document.getElementById("gantt");
  if (!root) { return; }
  var ROW = 28, OVERSCAN = 12, DAY = 86400000;
  var ZOOM = { day: 36, week: 14, month: 3.2 };
  var key = root.dataset.key, csrf = root.dataset.csrf;
  var scroll = root.querySelector(".gantt-scroll");
  var canvas = root.querySelector(".gantt-canvas");
  var scale = root.querySelector(".gantt-scale");
  var leftWidth = root.querySelector(".gantt-left").offsetWidth || 480;
  var data = null, zoom = "week", collapsed = new Set(), visible = [], rowOf = new Map();
  var byId = new Map(), origin = 0, span = 0, drawn = "", pending = false;

  function ms(iso) { return Date.parse(iso + ":00Z"); }  // naive local times, kept as UTC
  function dayNo(t) { return Math.floor(t / DAY); }
  function frac(t) {
    // Working hours 08:00-17:00 fill the day, so a 5d task spans exactly five day columns.
    var d = new Date(t), h = d.getUTCHours() + d.getUTCMinutes() / 60;
    return Math.min(1, Math.max(0, (h - 8) / 9));
  }
  function x(t) { return leftWidth + (dayNo(t) - origin + frac(t)) * ZOOM[zoom]; }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }
  function message(text, level) {
    var box = document.getElementById("messages");
    box.textContent = "";
    var p = el("p", "message " + (level || "error"), text);
    p.setAttribute("role", "alert");
    box.appendChild(p);
  }

  function index() {
    byId = new Map();
    var lo = Infinity, hi = -Infinity;
    data.tasks.forEach(function (t) {
      byId.set(t.id, t);
      if (t.start) { lo = Math.min(lo, ms(t.start)); }
      if (t.finish) { hi = Math.max(hi, ms(t.finish)); }
    });
    var today = Date.parse(data.today + "T12:00:00Z");
    if (!isFinite(lo)) { lo = data.start ? ms(data.start) : today; hi = lo; }
    lo = Math.min(lo, today); hi = Math.max(hi, today);
    var first = dayNo(lo) - 7;
    origin = first - ((new Date(first * DAY).getUTCDay() + 6) % 7);  // a Monday
    span = dayNo(hi) - origin + 28;
  }

  function computeVisible() {
    visible = []; rowOf = new Map();
    var hideBelow = null;
    data.tasks.forEach(function (t) {
      if (hideBelow !== null && t.level > hideBelow) { return; }
      hideBelow = collapsed.has(t.id) ? t.level : null;
      rowOf.set(t.id, visible.length);
      visible.push(t);
    });
  }

  function drawScale() {
    scale.textContent = "";
    var ppd = ZOOM[zoom], width = span * ppd;
    scale.style.width = width + "px";
    var top = el("div", "scale-top"), bottom = el("div", "scale-bottom");
    var months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    for (var d = 0; d < span; d++) {
      var date = new Date((origin + d) * DAY);
      var cell = null, label = null;
      var newMonth = date.getUTCDate() === 1 || d === 0;
      if (zoom === "month") {
        // Years above, months below: a month column is too narrow for "Nov 2026".
        if (d === 0 || (newMonth && date.getUTCMonth() === 0)) {
          var y = el("span", "tick", String(date.getUTCFullYear()));
          y.style.left = d * ppd + "px";
          top.appendChild(y);
        }
        if (newMonth) { label = months[date.getUTCMonth()]; cell = 30; }
      } else if (newMonth) {
        var m = el("span", "tick", months[date.getUTCMonth()] + " " + date.getUTCFullYear());
        m.style.left = d * ppd + "px";
        top.appendChild(m);
      }
      if (zoom === "day") { label = String(date.getUTCDate()); cell = 1; }
      else if (zoom === "week" && date.getUTCDay() === 1) { label = date.getUTCDate() + " " + months[date.getUTCMonth()]; cell = 7; }
      if (label !== null) {
        var c = el("span", "tick" + (zoom === "day" && date.getUTCDay() % 6 === 0 ? " weekend" : ""), label);
        c.style.left = d * ppd + "px"; c.style.width = cell * ppd + "px";
        bottom.appendChild(c);
      }
    }
    scale.appendChild(top); scale.appendChild(bottom);
  }

  function barFor(t) {
    if (!t.start || !t.finish) { return null; }
    var s = x(ms(t.start)), f = x(ms(t.finish));
    var state = t.critical ? ", critical" : "";
    var bar;
    if (t.milestone) {
      bar = el("div", "bar milestone" + (t.critical ? " critical" : ""));
      bar.style.left = (f - 7) + "px";
      bar.setAttribute("aria-label", t.name + ": milestone " + t.finish.slice(0, 10) + state);
    } else {
      bar = el("div", "bar" + (t.summary ? " summary" : " task") + (t.critical ? " critical" : ""));
      bar.style.left = s + "px";
      bar.style.width = Math.max(2, f - s) + "px";
      bar.setAttribute("aria-label", t.name + ": " + t.start.slice(0, 10) + " to " + t.finish.slice(0, 10) +
        ", " + t.pct + "% complete" + state);
      if (t.pct > 0 && !t.summary) {
        var p = el("div", "progress"); p.style.width = t.pct + "%"; bar.appendChild(p);
      }
      (t.gaps || []).forEach(function (g) {
        // A split task's pause: the bar stays open there, as MS Project draws it.
        var a = x(ms(g[0])), b = x(ms(g[1]));
        var gap = el("div", "pause"); gap.style.left = (a - s) + "px"; gap.style.width = Math.max(1, b - a) + "px";
        gap.title = "paused " + g[0].slice(0, 10) + " to " + g[1].slice(0, 10);
        bar.appendChild(gap);
      });
      if (t.gaps && t.gaps.length) { bar.setAttribute("aria-label", bar.getAttribute("aria-label") + ", split " + t.gaps.length + (t.gaps.length === 1 ? " time" : " times")); }
    }
    bar.setAttribute("role", "img");
    bar.dataset.id = t.id;
    var label = el("span", "bar-label", t.name);
    label.style.left = (t.milestone ? f + 12 : f + 6) + "px";
    return [bar, label];
  }

  function input(t, field, value, labelId) {
    var i = el("input", "c-" + (field === "duration" ? "dur" : "pred"));
    i.name = field; i.value = value; i.id = "g-" + field + "-" + t.id; i.autocomplete = "off";
    i.setAttribute("aria-labelledby", labelId + " g-id-" + t.id);
    if (field === "duration" && t.summary) { i.readOnly = true; }
    i.dataset.id = t.id;
    return i;
  }

  function rowFor(t, i) {
    var row = el("div", "g-row" + (t.summary ? " summary" : "") + (t.critical ? " critical" : ""));
    row.style.top = i * ROW + "px";
    var left = el("div", "gantt-left");
    var id = el("span", "c-id", String(t.id)); id.id = "g-id-" + t.id;
    var name = el("span", "c-name"); name.style.paddingLeft = (t.level - 1) * 14 + 4 + "px";
    if (t.summary) {
      var open = !collapsed.has(t.id);
      var b = el("button", "toggle", open ? "\u25BE" : "\u25B8");
      b.type = "button"; b.dataset.toggle = t.id;
      b.setAttribute("aria-expanded", String(open));
      b.setAttribute("aria-label", (open ? "Collapse " : "Expand ") + t.name);
      name.appendChild(b);
    }
    var a = el("a", null, t.name); a.href = "/projects/" + key + "/tasks/" + t.id;
    name.appendChild(a);
    left.appendChild(id); left.appendChild(name);
    left.appendChild(input(t, "duration", t.dur, "g-h-duration"));
    left.appendChild(input(t, "predecessors", t.pred, "g-h-predecessors"));
    row.appendChild(left);
    var bar = barFor(t);
    if (bar) { row.appendChild(bar[0]); row.appendChild(bar[1]); }
    return row;
  }

  function anchor(t, end) {
    return end ? x(ms(t.finish)) + (t.milestone ? 7 : 0) : x(ms(t.start)) - (t.milestone ? 7 : 0);
  }

  function arrows(first, last) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("class", "links"); svg.setAttribute("aria-hidden", "true");
    var top = first * ROW, height = (last - first + 1) * ROW;
    svg.setAttribute("width", String(leftWidth + span * ZOOM[zoom]));
    svg.setAttribute("height", String(height));
    svg.style.top = top + "px";
    data.links.forEach(function (l) {
      var a = byId.get(l[0]), b = byId.get(l[1]);
      if (!a || !b || !a.start || !b.start) { return; }
      var ra = rowOf.get(l[0]), rb = rowOf.get(l[1]);
      if (ra === undefined || rb === undefined) { return; }
      if (Math.max(ra, rb) < first || Math.min(ra, rb) > last) { return; }
      var fromEnd = l[2].charAt(0) === "F", toEnd = l[2].charAt(1) === "F";
      var x1 = anchor(a, fromEnd), y1 = ra * ROW + ROW / 2 - top;
      var x2 = anchor(b, toEnd), y2 = rb * ROW + ROW / 2 - top;
      var out = fromEnd ? x1 + 8 : x1 - 8, d;
      var into = toEnd ? x2 + 8 : x2 - 8;
      var down = y2 > y1 ? 1 : -1;
      if ((!toEnd && into >= out) || (toEnd && into <= out)) {
        d = "M" + x1 + "," + y1 + "H" + out + "V" + y2 + "H" + x2;
      } else {
        var mid = y2 - down * ROW / 2;
        d = "M" + x1 + "," + y1 + "H" + out + "V" + mid + "H" + into + "V" + y2 + "H" + x2;
      }
      var path = document.createElementNS(ns, "path");
      path.setAttribute("d", d);
      path.setAttribute("class", "link" + (a.critical && b.critical ? " critical" : ""));
      svg.appendChild(path);
      var head = document.createElementNS(ns, "path");
      var dir = toEnd ? -1 : 1;
      head.setAttribute("d", "M" + x2 + "," + y2 + "l" + (-5 * dir) + ",-4v8z");
      head.setAttribute("class", "head" + (a.critical && b.critical ? " critical" : ""));
      svg.appendChild(head);
    });
    return svg;
  }

  function draw(force) {
    pending = false;
    var first = Math.max(0, Math.floor(scroll.scrollTop / ROW) - OVERSCAN);
    var last = Math.min(visible.length - 1, Math.ceil((scroll.scrollTop + scroll.clientHeight) / ROW) + OVERSCAN);
    var sig = first + ":" + last;
    if (!force && sig === drawn) { return; }
    drawn = sig;
    var focused = document.activeElement && root.contains(document.activeElement) ? document.activeElement.id : null;
    canvas.textContent = "";
    var frag = document.createDocumentFragment();
    var today = el("div", "today-line");
    today.setAttribute("role", "img"); today.setAttribute("aria-label", "Today, " + data.today);
    today.style.left = x(Date.parse(data.today + "T12:00:00Z")) + "px";
    frag.appendChild(today);
    if (visible.length) { frag.appendChild(arrows(first, last)); }
    for (var i = first; i <= last; i++) { frag.appendChild(rowFor(visible[i], i)); }
    canvas.appendChild(frag);
    if (focused) { var f = document.getElementById(focused); if (f) { f.focus(); } }
  }

  function layout() {
    var ppd = ZOOM[zoom];
    canvas.style.height = Math.max(1, visible.length) * ROW + "px";
    canvas.style.width = leftWidth + span * ppd + "px";
    canvas.style.setProperty("--day", ppd + "px");
    canvas.style.setProperty("--left", leftWidth + "px");
    root.className = "gantt zoom-" + zoom;
    drawScale();
    draw(true);
    root.dataset.ready = String(Date.now());
  }

  function load(json) {
    data = json; index(); computeVisible(); layout();
  }

  function reveal(t) { scroll.scrollLeft = Math.max(0, x(t) - leftWidth - 3 * ZOOM[zoom]); }

  scroll.addEventListener("scroll", function () {
    if (!pending) { pending = true; window.requestAnimationFrame(function () { draw(false); }); }
  }, { passive: true });

  root.parentNode.addEventListener("click", function (ev) {
    var b = ev.target.closest("button");
    if (!b || !data) { return; }
    if (b.dataset.toggle) {
      var id = Number(b.dataset.toggle);
      if (collapsed.has(id)) { collapsed.delete(id); } else { collapsed.add(id); }
      computeVisible(); layout();
    } else if (b.dataset.zoom) {
      var center = scroll.scrollLeft + scroll.clientWidth / 2 - leftWidth;
      var dayAtCenter = center / ZOOM[zoom];
      zoom = b.dataset.zoom;
      document.querySelectorAll("[data-zoom]").forEach(function (z) {
        z.setAttribute("aria-pressed", String(z.dataset.zoom === zoom));
      });
      layout();
      scroll.scrollLeft = Math.max(0, dayAtCenter * ZOOM[zoom] - (scroll.clientWidth - leftWidth) / 2);
    } else if (b.dataset.action === "today") {
      reveal(Date.parse(data.today + "T00:00:00Z"));
    } else if (b.dataset.action === "collapse") {
      data.tasks.forEach(function (t) { if (t.summary) { collapsed.add(t.id); } });
      computeVisible(); layout();
    } else if (b.dataset.action === "expand") {
      collapsed.clear(); computeVisible(); layout();
    }
  });

  canvas.addEventListener("change", function (ev) {
    var i = ev.target;
    if (!i.dataset || !i.dataset.id) { return; }
    var t = byId.get(Number(i.dataset.id));
    var body = new URLSearchParams();
    body.set("version", String(t.v)); body.set(i.name, i.value);
    fetch("/projects/" + key + "/gantt/" + t.id, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRF-Token": csrf }
    }).then(function (r) {
      return r.json().then(function (j) { return { ok: r.ok, body: j }; });
    }).then(function (res) {
      if (!res.ok) { message(res.body.detail || "The change was refused"); i.value = i.name === "duration" ? t.dur : t.pred; return; }
      document.getElementById("messages").textContent = "";
      var left = scroll.scrollLeft, top = scroll.scrollTop;
      load(res.body);
      scroll.scrollLeft = left; scroll.scrollTop = top;
    }).catch(function () { message("Could not reach the server"); });
  });

  canvas.addEventListener("keydown", function (ev) {
    if (ev.key !== "Enter" || !ev.target.dataset || !ev.target.dataset.id) { return; }
    ev.preventDefault(); ev.target.blur();  // commits the change, like Enter in a grid cell
  });

  window.addEventListener("resize", function () { draw(true); });

  fetch("/projects/" + key + "/gantt.json", { headers: { "Accept": "application/json" }, credentials: "same-origin" })
    .then(function (r) { return r.json(); })
    .then(function (j) {
      load(j);
      var starts = j.tasks.filter(function (t) { return t.start; });
      reveal(starts.length ? ms(starts[0].start) : Date.parse(j.today + "T00:00:00Z"));
    })
    .catch(function () { message("Could not load the plan"); });
}());
