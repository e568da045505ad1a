/* Compare two periods: two embed maps side by side that move together. The frames tell
 * this page their view after every move; this page passes it to the other frame. From
 * file:// every page is its own origin, so they speak by postMessage, and each side
 * trusts only the window it expects (the page its frame, the frame its parent). */
(function (A) {
  "use strict";

  var MOVED = "atlas-view", SET = "atlas-set-view";

  /* In a frame of the compare page: report each move, follow the other map. */
  function startFramed() {
    if (!A.map || window.parent === window || !/[?&]compare\b/.test(window.location.search)) return;
    var following = false;
    A.map.on("moveend", function () {
      if (following) { following = false; return; }
      var c = A.map.getCenter();
      window.parent.postMessage({ type: MOVED, lat: c.lat, lng: c.lng, zoom: A.map.getZoom() }, "*");
    });
    window.addEventListener("message", function (event) {
      var d = event.data;
      if (event.source !== window.parent || !d || d.type !== SET) return;
      if (typeof d.lat !== "number" || typeof d.lng !== "number" || typeof d.zoom !== "number") return;
      following = true;
      A.map.setView([d.lat, d.lng], d.zoom, { animate: false });
    });
    var c = A.map.getCenter();
    window.parent.postMessage({ type: MOVED, lat: c.lat, lng: c.lng, zoom: A.map.getZoom(), first: true }, "*");
  }

  function periodById(id) {
    var found = null;
    A.page.periods.forEach(function (p) { if (p.id === id) found = p; });
    return found;
  }

  /* The compare page itself. */
  function startPage() {
    if (A.page.kind !== "compare") return;
    var frames = { a: document.querySelector("iframe[data-side=a]"), b: document.querySelector("iframe[data-side=b]") };
    var params = new URLSearchParams(window.location.search);
    var leader = "a";  // the side whose view both maps take when they load
    function choose(side, id, push) {
      var period = periodById(id);
      if (!period) return;
      frames[side].src = "embed/" + period.id + ".html?compare";
      frames[side].title = "Map: " + period.title + ", " + period.dates;
      document.querySelector("select[data-side=" + side + "]").value = period.id;
      var link = document.querySelector("a[data-side=" + side + "]");
      link.href = "periods/" + period.id + ".html";
      link.textContent = period.title + ": the whole page";
      if (push && window.history && history.replaceState) {
        params.set(side, period.id);
        history.replaceState(null, "", "?" + params.toString());
      }
    }
    ["a", "b"].forEach(function (side) {
      var wanted = params.get(side);
      choose(side, wanted && periodById(wanted) ? wanted : frames[side].getAttribute("data-period"), false);
      document.querySelector("select[data-side=" + side + "]").addEventListener("change", function (e) {
        leader = side === "a" ? "b" : "a";  // the map that stays keeps the view
        choose(side, e.target.value, true);
      });
    });
    var last = null;
    window.addEventListener("message", function (event) {
      var d = event.data;
      if (!d || d.type !== MOVED) return;
      var from = event.source === frames.a.contentWindow ? "a" : event.source === frames.b.contentWindow ? "b" : null;
      if (!from) return;
      if (d.first && from !== leader && last) { send(from, last); return; }  // a newly loaded map joins the view
      last = d;
      send(from === "a" ? "b" : "a", d);
    });
    function send(side, view) {
      var target = frames[side].contentWindow;
      if (target) target.postMessage({ type: SET, lat: view.lat, lng: view.lng, zoom: view.zoom }, "*");
    }
  }

  A.starters.push(startFramed, startPage);
})(window.Atlas);
