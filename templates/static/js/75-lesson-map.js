/* A map framed in a lesson (embed/<period>.html?lesson&mark=EVENT&places=A,B, or a
 * single-file lesson's srcdoc frame, whose page data says the same). Its event is ringed
 * and named over the map, not opened: a popup would cover what the questions ask about.
 * The map is fitted to the event and to the places the questions ask about, which are
 * named before any other. It is drawn at once, not at the next frame (a frame out of view
 * draws none), so that a printed lesson has every map as the reader would see it; once its
 * names are placed and its relief has come, it tells its lesson, which can then be printed. */
(function (A) {
  "use strict";

  var asked = null;   // { mark: event id, places: [place ids] }
  var ours = false;   // the view is still the one fitted here (the reader has not moved it)
  var told = false;

  function askedFor() {
    var query = new URLSearchParams(window.location.search);
    if (A.page.lesson) return { mark: A.page.mark || "", places: A.page.places || [] };
    if (!query.has("lesson")) return null;
    return { mark: query.get("mark") || "", places: (query.get("places") || "").split(",").filter(Boolean) };
  }

  function boundsOf(ids) {
    var bounds = null;
    ids.forEach(function (id) {
      var layer = A.layersById[id];
      if (!layer) return;
      var found = layer.getBounds ? layer.getBounds() : layer.getLatLng ? L.latLngBounds([layer.getLatLng()]) : null;
      if (A.movementBounds && A.movementBounds[id]) found = L.latLngBounds([]).extend(found).extend(A.movementBounds[id]);
      if (!found || !found.isValid()) return;
      bounds = bounds ? bounds.extend(found) : L.latLngBounds(found.getSouthWest(), found.getNorthEast());
    });
    return bounds;
  }

  /* Fit the event and the asked places in the part of the map the note leaves free, no
   * closer than two zooms in from the period (at least 6): a place with its surroundings,
   * never one dot on blurred relief. */
  function fit() {
    var bounds = boundsOf((asked.mark ? [asked.mark] : []).concat(asked.places));
    if (!bounds) return;
    var period = A.page.extent ? A.map.getBoundsZoom(L.latLngBounds(A.page.extent)) : 4;
    var note = document.querySelector(".lesson-mark-note");
    A.map.invalidateSize({ animate: false });
    A.map.fitBounds(bounds, {
      maxZoom: Math.min(Math.max(6, period + 2), A.map.getMaxZoom()), animate: false,
      paddingTopLeft: [40, 30 + (note ? note.offsetHeight : 0)], paddingBottomRight: [40, 40]
    });
    ours = true;
    A.layoutLabelsNow();
  }

  /* A ring around each of the event's dots, drawn under them. */
  function ring(id) {
    var layer = A.layersById[id];
    if (!layer) return;
    if (A.reveal) A.reveal(layer);  // shown even where a dense map gathers its dots
    var dots = layer.getLayers ? layer.getLayers() : [layer];
    dots.forEach(function (dot) {
      if (!dot.getLatLng) return;
      var radius = (dot.getRadius ? dot.getRadius() : 8) + 6;
      L.circleMarker(dot.getLatLng(), { radius: radius, weight: 3, color: "#1d1d1f", fill: false,
                                        interactive: false, className: "lesson-mark" }).addTo(A.map);
    });
    var p = layer.feature.properties;
    var note = A.element("p", "lesson-mark-note");
    note.appendChild(A.element("span", "lesson-mark-symbol", "◯"));
    note.appendChild(document.createTextNode(" " + p.title + " "));
    note.appendChild(A.element("span", "lesson-mark-date", "(" + p.date + ")"));
    (document.querySelector(".embed-map") || document.body).appendChild(note);
  }

  /* Ready when the names are placed and every image of the map (relief, tiles) has come. */
  function tellWhenDrawn() {
    if (told) return;
    var images = A.map.getContainer().querySelectorAll("img");
    for (var i = 0; i < images.length; i++) if (!images[i].complete) return;
    if (!images.length && ((A.page.basemap || {}).images || []).length) return;  // not yet added
    told = true;
    A.mapReady = true;
    document.documentElement.setAttribute("data-map-ready", "");
    if (window.parent !== window) window.parent.postMessage({ atlas: "map-ready" }, "*");
  }

  // A lesson that began to listen after this map was drawn asks again.
  window.addEventListener("message", function (event) {
    if (told && event.source === window.parent && event.data && event.data.atlas === "map-ready?") {
      window.parent.postMessage({ atlas: "map-ready" }, "*");
    }
  });

  A.starters.push(function startLessonMap() {
    if (!A.map) return;
    asked = askedFor();
    if (!asked) return;
    document.documentElement.classList.add("lesson-frame");
    asked.places.forEach(function (id) { A.namedFirst[id] = true; });
    if (asked.mark) {
      A.namedFirst[asked.mark] = true;
      ring(asked.mark);
    }
    fit();
    // The view stays fitted until the reader moves it (the page's own fits do not count).
    var moved = function () { ours = false; };
    A.map.on("dragstart", moved);
    var container = A.map.getContainer();
    ["wheel", "dblclick", "keydown"].forEach(function (name) { container.addEventListener(name, moved); });
    container.addEventListener("click", function (event) { if (event.target.closest(".leaflet-control-zoom")) moved(); });
    container.addEventListener("touchstart", function (event) { if (event.touches.length > 1) moved(); });
    A.map.on("resize", function () { if (ours) fit(); });
    // Paper gives the frame its own width: fitted again for it, at once (after the page's
    // own handler, which fits the period).
    var forPaper = function () { if (ours) fit(); };
    window.addEventListener("beforeprint", forPaper);
    if (window.matchMedia) {
      var print = window.matchMedia("print");
      if (print.addEventListener) print.addEventListener("change", function (e) { if (e.matches) forPaper(); });
    }
    A.map.on("layeradd", function (e) {
      if (e.layer instanceof L.ImageOverlay || e.layer instanceof L.TileLayer) e.layer.on("load", tellWhenDrawn);
    });
    A.map.whenReady(function () { window.setTimeout(tellWhenDrawn, 0); });  // after the basemap is added
  });
})(window.Atlas);
