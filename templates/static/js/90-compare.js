/* Compare two periods: two embed maps that move together, fitted to what changed between
 * their days, with the list of those changes beside them. The frames tell this page their
 * view after every move; this page passes it to the other frame, and asks both to fit a
 * change's place. From file:// every page is its own origin, so they speak by
 * postMessage, and each side trusts only the window it expects (the page its frame, the
 * frame its parent). */
(function (A) {
  "use strict";

  var MOVED = "atlas-view", SET = "atlas-set-view", FIT = "atlas-fit";
  var CLOSEST = 6;  // the closest a fit goes: a region around a town, never one dot on blurred relief
  var MIN_SPAN = 3;  // degrees: a town alone is shown with this much around it at least

  function isBounds(b) {
    return Array.isArray(b) && b.length === 2 && b.every(function (corner) {
      return Array.isArray(corner) && corner.length === 2 && corner.every(function (n) { return typeof n === "number" && isFinite(n); });
    });
  }

  /* In a frame of the compare page: report each move, follow the other map, fit what the
   * page asks for and mark the changed place. */
  function startFramed() {
    if (!A.map || window.parent === window || !/[?&]compare\b/.test(window.location.search)) return;
    document.body.classList.add("compare-frame");  // the page names the period: the frame's caption goes
    A.page.previous = A.page.next = null;  // ← and → would take this frame alone to another period
    var following = false;
    var marked = [];
    var fittedTo = null;  // what the page asked this map to fit, until the reader moves it
    A.map.on("moveend", function () {
      if (following) { following = false; return; }
      fittedTo = null;
      var c = A.map.getCenter();
      window.parent.postMessage({ type: MOVED, lat: c.lat, lng: c.lng, zoom: A.map.getZoom() }, "*");
    });
    function unmark() {
      marked.forEach(function (m) { if (m.remove) m.remove(); else m.classList.remove("compare-marked"); });
      marked = [];
    }
    function mark(place, bounds) {
      unmark();
      var layer = place && A.layersById[place];
      if (layer) A.elementsOf(layer).forEach(function (el) { el.classList.add("compare-marked"); marked.push(el); });
      var box = L.latLngBounds(bounds);
      // A town (or a place gone from this map) gets a ring where it is, on both maps alike.
      if (!layer || box.getNorth() - box.getSouth() < 0.5 && box.getEast() - box.getWest() < 0.5) {
        marked.push(L.circleMarker(box.getCenter(), { radius: 20, className: "compare-ring", interactive: false,
                                                       fill: false }).addTo(A.map));
      }
    }
    function fit(bounds) {
      var box = L.latLngBounds(bounds), c = box.getCenter();
      var half = MIN_SPAN / 2;
      box.extend([[c.lat - half, c.lng - half], [c.lat + half, c.lng + half]]);
      var size = A.map.getSize();
      var pad = Math.max(16, Math.min(48, Math.round(Math.min(size.x, size.y) * 0.08)));
      following = true;
      fittedTo = bounds;
      A.map.fitBounds(box, { padding: [pad, pad], maxZoom: Math.min(CLOSEST, A.map.getMaxZoom()), animate: false });
      // The page learns the view (a map loaded later takes it) but passes nothing on.
      var c = A.map.getCenter();
      window.parent.postMessage({ type: MOVED, lat: c.lat, lng: c.lng, zoom: A.map.getZoom(), fitted: true }, "*");
    }
    // A phone turned, a window resized: both maps, alike in size, fit the same again.
    A.map.on("resize", function () { if (fittedTo) fit(fittedTo); });
    window.addEventListener("message", function (event) {
      var d = event.data;
      if (event.source !== window.parent || !d) return;
      if (d.type === FIT && isBounds(d.bounds)) {
        fit(d.bounds);
        if (typeof d.place === "string") mark(d.place, d.bounds); else unmark();
        return;
      }
      if (d.type !== SET || typeof d.lat !== "number" || typeof d.lng !== "number" || typeof d.zoom !== "number") return;
      following = true;
      A.map.setView([d.lat, d.lng], d.zoom, { animate: false });
    });
    var c = A.map.getCenter();
    window.parent.postMessage({ type: MOVED, lat: c.lat, lng: c.lng, zoom: A.map.getZoom(), first: true }, "*");
  }

  function periodIndex(id) {
    for (var i = 0; i < A.page.periods.length; i++) if (A.page.periods[i].id === id) return i;
    return -1;
  }

  /* What changed from the earlier map's day to the later one's: the changes each period
   * between them lists (those since the map before it), in order. */
  function changesBetween(a, b) {
    var from = Math.min(a, b), to = Math.max(a, b), found = [];
    for (var i = from + 1; i <= to; i++) found = found.concat(A.page.periods[i].changes);
    return found;
  }

  function union(changes) {
    var box = null;
    changes.forEach(function (change) {
      if (!isBounds(change.bounds)) return;
      var b = change.bounds;
      box = box ? [[Math.min(box[0][0], b[0][0]), Math.min(box[0][1], b[0][1])],
                   [Math.max(box[1][0], b[1][0]), Math.max(box[1][1], b[1][1])]] : [b[0].slice(), b[1].slice()];
    });
    return box;
  }

  /* The compare page itself. */
  function startPage() {
    if (A.page.kind !== "compare") return;
    var frames = { a: document.querySelector("iframe[data-side=a]"), b: document.querySelector("iframe[data-side=b]") };
    var ready = { a: false, b: false };
    var chosen = { a: -1, b: -1 };
    var params = new URLSearchParams(window.location.search);
    var last = null;   // the view both maps show, once the reader has moved one
    var focus = null;  // what both maps are fitted to until the reader moves them: {bounds, place}

    function send(side, message) {
      var target = ready[side] && frames[side].contentWindow;
      if (target) target.postMessage(message, "*");
    }
    function fitBoth(wanted) {
      focus = wanted;
      if (!wanted) return;
      ["a", "b"].forEach(function (side) { send(side, { type: FIT, bounds: wanted.bounds, place: wanted.place }); });
    }

    function choose(side, id, push) {
      var index = periodIndex(id);
      if (index < 0) return;
      var period = A.page.periods[index];
      chosen[side] = index;
      ready[side] = false;
      frames[side].src = "embed/" + period.id + ".html?compare";
      frames[side].title = A.t("Map: %(title)s, %(dates)s", { title: period.title, dates: period.dates });
      document.querySelector("select[data-side=" + side + "]").value = period.id;
      var link = document.querySelector(".compare-full a[data-side=" + side + "]");
      link.href = "periods/" + period.id + ".html";
      link.textContent = period.title;
      // On a phone the divider's ends say which period lies on each side of it.
      document.querySelector(".compare-swipe-ends [data-side=" + side + "]").textContent =
        side === "a" ? "◀ Left: " + period.title : "Right: " + period.title + " ▶";
      if (push && window.history && history.replaceState) {
        params.set(side, period.id);
        history.replaceState(null, "", "?" + params.toString());
      }
    }

    ["a", "b"].forEach(function (side) {
      var wanted = params.get(side);
      choose(side, wanted && periodIndex(wanted) >= 0 ? wanted : frames[side].getAttribute("data-period"), false);
      document.querySelector("select[data-side=" + side + "]").addEventListener("change", function (e) {
        choose(side, e.target.value, true);
        list();
      });
    });

    var status = document.querySelector(".compare-status");
    function list() {
      var changes = changesBetween(chosen.a, chosen.b);
      var earlier = A.page.periods[Math.min(chosen.a, chosen.b)], later = A.page.periods[Math.max(chosen.a, chosen.b)];
      var days = document.querySelector(".compare-days");
      var none = document.querySelector(".compare-none");
      var ul = document.querySelector(".compare-list");
      ul.textContent = "";
      if (chosen.a === chosen.b) {
        days.textContent = A.t("Both maps show %(title)s, as places were %(when)s.",
          { title: earlier.title, when: earlier.map_date });
      } else {
        days.textContent = A.t("From the map of %(earlier)s (places as they were %(from)s) to the map of %(later)s (%(to)s).",
          { earlier: earlier.title, from: earlier.map_date, later: later.title, to: later.map_date });
      }
      none.hidden = changes.length > 0;
      none.textContent = chosen.a === chosen.b ? A.t("The same map on both sides: nothing changed.")
        : A.t("Nothing on the map changed between these two days: the same names, holders and borders.");
      changes.forEach(function (change) {
        var item = A.element("li", "change change-" + change.kind);
        var what = isBounds(change.bounds) ? A.element("button", "", change.text) : A.element("span", "", change.text);
        if (what.tagName === "BUTTON") {
          what.type = "button";
          what.setAttribute("aria-pressed", "false");
          what.addEventListener("click", function () { show(change, what); });
        }
        item.appendChild(what);
        if (change.date) {
          item.appendChild(document.createTextNode(" "));
          item.appendChild(A.element("span", "change-date", change.date));
        }
        ul.appendChild(item);
      });
      status.textContent = "";
      document.querySelector(".compare-hint").textContent = ul.querySelector("button")
        ? A.t("The two maps move together: pan or zoom either one. Choose a change to show it on both.")
        : A.t("The two maps move together: pan or zoom either one.");
      var all = union(changes);
      fitBoth(all ? { bounds: all, place: null } : null);
    }

    function show(change, button) {
      document.querySelectorAll(".compare-list button[aria-pressed=true]").forEach(function (b) {
        b.setAttribute("aria-pressed", "false");
      });
      button.setAttribute("aria-pressed", "true");
      fitBoth({ bounds: change.bounds, place: change.place });
      status.textContent = A.t("Shown on both maps: %(change)s", { change: change.text });
      // On a phone the list is under the maps: bring them back into sight.
      var stage = document.querySelector(".compare-stage");
      var top = stage.getBoundingClientRect().top;
      if (top < 0 || top > window.innerHeight / 2) stage.scrollIntoView({ block: "start" });
    }

    window.addEventListener("message", function (event) {
      var d = event.data;
      if (!d || d.type !== MOVED) return;
      var from = event.source === frames.a.contentWindow ? "a" : event.source === frames.b.contentWindow ? "b" : null;
      if (!from) return;
      var other = from === "a" ? "b" : "a";
      if (d.fitted) { last = d; return; }  // both maps were asked alike
      if (d.first) {  // a newly loaded map takes what the other shows: the changes' fit, or the reader's view
        ready[from] = true;
        if (focus) send(from, { type: FIT, bounds: focus.bounds, place: focus.place });
        else if (last) send(from, { type: SET, lat: last.lat, lng: last.lng, zoom: last.zoom });
        else { last = d; send(other, { type: SET, lat: d.lat, lng: d.lng, zoom: d.zoom }); }  // the first to load leads
        return;
      }
      focus = null;
      last = d;
      send(other, { type: SET, lat: d.lat, lng: d.lng, zoom: d.zoom });
    });

    startDivider();
    list();
  }

  /* On a phone the right map lies over the left one, cut at the divider: the range input
   * moves it (by touch, or with the arrow keys). */
  function startDivider() {
    var range = document.getElementById("compare-divider");
    var stage = document.querySelector(".compare-stage");
    if (!range || !stage) return;
    function move() {
      var at = Number(range.value);
      stage.style.setProperty("--divider", at + "%");
      range.setAttribute("aria-valuetext", at === 0 ? A.t("all right map") : at === 100 ? A.t("all left map")
        : A.t("%(left)d%% left map, %(right)d%% right map", { left: at, right: 100 - at }));
    }
    range.addEventListener("input", move);
    move();
  }

  A.starters.push(startFramed, startPage);
})(window.Atlas);
