/* The basemap, the zoom limits, and the view kept from one period to the next. */
(function (A) {
  "use strict";

  var VIEW_KEY = "atlas-view";
  // A transparent pixel for tiles that fail: the offline relief underneath shows instead.
  var NO_TILE = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7";
  var WORLD = [[-85.0511, -180], [85.0511, 180]];

  A.saveView = function () {
    if (!A.map) return;
    try {
      var b = A.map.getBounds();
      sessionStorage.setItem(VIEW_KEY + ":" + A.page.kind, JSON.stringify({
        lat: A.map.getCenter().lat, lng: A.map.getCenter().lng, zoom: A.map.getZoom(),
        bounds: [[b.getSouth(), b.getWest()], [b.getNorth(), b.getEast()]]
      }));
    } catch (err) { /* storage may be off (privacy settings): keep the period's own view */ }
  };

  function savedView() {
    try { return JSON.parse(sessionStorage.getItem(VIEW_KEY + ":" + A.page.kind) || "null"); } catch (err) { return null; }
  }

  /* How the reader came: by stepping from another period (the view is kept), or afresh
   * (a link, a lesson's frame, a reload: the period's own view). Read once. */
  function arrival() {
    var step = null;
    try {
      step = JSON.parse(sessionStorage.getItem("atlas-step") || "null");
      sessionStorage.removeItem("atlas-step");
    } catch (err) { step = null; }
    return step && step.kind === A.page.kind ? step : null;
  }

  var fitted = false;   // the view is the page's own (a fit), not one the reader chose
  var fitting = false;  // a fit is moving the map (not the reader)

  /* What lies over the map and hides part of it: a Present slide and its legend, an
   * embed's caption. */
  var COVERS = [".present-panel", ".present-legend", ".embed-caption"];
  var CONTEXT_KM = 400;  // a fit never comes closer than this many km across the map's free part

  /* The map's free part, as padding from each side (px): the map's box less what covers
   * it (a slide along the right, or a phone's along the bottom; a caption along the top)
   * and less what the window cuts off. Every fit goes through it. */
  A.uncovered = function () {
    var size = A.map.getSize();
    var box = A.map.getContainer().getBoundingClientRect();
    var printing = window.matchMedia && window.matchMedia("print").matches;
    var pad = { top: 0, right: 0, bottom: 0, left: 0 };
    if (!printing && A.page.kind !== "index") {  // (the index's map is met by scrolling to it)
      pad.top = Math.max(0, -box.top);
      pad.bottom = Math.max(0, box.bottom - window.innerHeight);
    }
    COVERS.forEach(function (selector) {
      var cover = document.querySelector(selector);
      if (!cover || printing || !cover.offsetWidth) return;
      var r = cover.getBoundingClientRect();
      if (r.right <= box.left || r.left >= box.right || r.bottom <= box.top || r.top >= box.bottom) return;
      // Kept clear along the side that leaves the largest free part, given what is kept
      // clear already: a slide beside the map on the right, a phone's slide and a legend
      // below it, a caption along the top.
      var sides = { top: r.bottom - box.top, bottom: box.bottom - r.top, left: r.right - box.left, right: box.right - r.left };
      var best = null;
      Object.keys(sides).forEach(function (side) {
        var tried = L.extend({}, pad);
        tried[side] = Math.max(tried[side], sides[side]);
        var room = Math.max(0, box.width - tried.left - tried.right) * Math.max(0, box.height - tried.top - tried.bottom);
        if (best === null || room > best.room) best = { side: side, room: room };
      });
      pad[best.side] = Math.max(pad[best.side], sides[best.side]);
    });
    // A margin, so that no dot sits on the edge or under the zoom buttons.
    var margin = Math.max(12, Math.min(40, Math.round(Math.min(size.x, size.y) * 0.06)));
    return {
      covered: pad,  // what covers the map along each side, without the margin
      topLeft: L.point(pad.left + margin, pad.top + margin),
      bottomRight: L.point(pad.right + margin, pad.bottom + margin),
      free: L.point(Math.max(1, size.x - pad.left - pad.right), Math.max(1, size.y - pad.top - pad.bottom)),
      seen: L.latLngBounds(A.map.containerPointToLatLng([pad.left, size.y - pad.bottom]),
                           A.map.containerPointToLatLng([size.x - pad.right, pad.top]))
    };
  };

  /* The closest a fit may come: the zoom at which CONTEXT_KM span the narrower side of
   * the map's free part, and never past the detail the offline relief holds (closer, it
   * is one blurred dot). */
  A.contextZoom = function (lat) {
    var free = A.uncovered().free;
    var metres = 40075016.686 * Math.cos((lat || 0) * Math.PI / 180);  // the parallel's length
    var zoom = Math.log(metres * Math.min(free.x, free.y) / (CONTEXT_KM * 1000) / 256) / Math.LN2;
    var detail = A.page.basemap && typeof A.page.basemap.detail === "number" ? A.page.basemap.detail : Infinity;
    return Math.max(A.map.getMinZoom(), Math.floor(Math.min(zoom, detail, A.map.getMaxZoom())));
  };

  /* Fit `bounds` into the map's free part, no closer than the context zoom; flown (a
   * slide, a step) or at once (a first view, a print). */
  A.fitArea = function (bounds, fly) {
    bounds = L.latLngBounds(bounds);
    if (!bounds.isValid()) return;
    var room = A.uncovered();
    // The world may slide under what covers the map (the slide): else, East Asia near the
    // world's east edge could not move left of a slide on the right.
    var world = 256 * Math.pow(2, A.map.getMinZoom());
    // (Set as an option: setMaxBounds would start a pan of its own, ending after the fit.)
    // Only by what covers it: a margin's worth past the world's edge shows no relief.
    A.map.options.maxBounds = L.latLngBounds([[WORLD[0][0], WORLD[0][1] - room.covered.left / world * 360],
                                              [WORLD[1][0], WORLD[1][1] + room.covered.right / world * 360]]);
    var options = { paddingTopLeft: room.topLeft, paddingBottomRight: room.bottomRight,
                    maxZoom: A.contextZoom(bounds.getCenter().lat) };
    fitting = true;
    if (fly) A.map.flyToBounds(bounds, L.extend({ duration: 0.8 }, options));
    else A.map.fitBounds(bounds, L.extend({ animate: false }, options));
    fitting = false;
  };

  /* The period's first view: its area of interest (the events its `view:` shows, else all
   * of them; see atlas/site/framing.py) in the map's free part, whatever the frame: a
   * page's map, a 560×400 lesson frame, a projector. */
  // A map alone (an embed, a lesson's map) has no list beside it to find the others in:
  // it shows all the period's events.
  A.homeArea = function () { return A.page.kind === "embed" ? A.page.extent : A.page.area || A.page.extent; };

  function fit() {
    fitted = true;  // the view is the page's own until the reader moves the map
    if (A.homeArea()) A.fitArea(A.homeArea(), false);
  }

  /* Printed, the page shows every event of the period, not only its area of interest. */
  function fitPaper() {
    A.map.invalidateSize({ animate: false });
    if (A.page.extent) A.fitArea(A.page.extent, false);
  }

  /* "3 events outside this view · Show all": counted from what the map shows now (its free
   * part), after every move; hidden when none is outside. Its button fits all of them. */
  function outsideCount() {
    var seen = A.uncovered().seen, outside = 0;
    A.eventsLayer.eachLayer(function (layer) {
      var dots = layer.getLayers ? layer.getLayers() : [layer];
      if (dots.some(function (dot) { return !seen.contains(A.centreOf(dot)); })) outside += 1;
    });
    return outside;
  }

  function addShowAll() {
    if (!A.eventsLayer || !A.page.extent || (A.page.kind !== "period" && A.page.kind !== "embed")) return;
    var box = A.element("div", "show-all leaflet-bar");
    var words = A.element("span", "show-all-count");
    words.setAttribute("aria-live", "polite");
    var button = A.element("button", "show-all-button", A.t("Show all"));
    button.type = "button";
    box.appendChild(words);
    box.appendChild(button);
    L.DomEvent.disableClickPropagation(box);
    L.DomEvent.disableScrollPropagation(box);
    button.addEventListener("click", function () { A.map.closePopup(); A.fitArea(A.page.extent, true); });
    var control = L.control({ position: "bottomleft" });
    control.onAdd = function () { return box; };
    control.addTo(A.map);
    function update() {
      var count = outsideCount();
      words.textContent = A.tn("%(num)d event outside this view", "%(num)d events outside this view", count);
      box.hidden = count === 0;
    }
    A.map.on("moveend zoomend resize", update);
    update();
  }

  /* Whether a saved view still shows this period: some of its events (or, with none,
   * some of its features) lie inside it. */
  function stillShows(view) {
    if (!view || !view.bounds) return false;
    var bounds = L.latLngBounds(view.bounds);
    var inside = false;
    if (A.eventsLayer && A.eventsLayer.getLayers().length) {
      A.eventsLayer.eachLayer(function (layer) {
        var centre = A.centreOf(layer.getLayers ? layer.getLayers()[0] : layer);
        if (centre && bounds.contains(centre)) inside = true;
      });
      return inside;
    }
    return !!A.page.extent && bounds.intersects(L.latLngBounds(A.page.extent));
  }

  /* The reader can zoom out until the world fills the map, and no further; the map
   * cannot be dragged off the world. */
  function limitZoom() {
    var size = A.map.getSize();
    var fill = Math.ceil(Math.log(Math.max(size.x, size.y, 256) / 256) / Math.LN2);
    A.map.setMinZoom(Math.max(0, fill));
    if (A.map.getZoom() < A.map.getMinZoom()) A.map.setZoom(A.map.getMinZoom(), { animate: false });
  }

  A.addBasemap = function () {
    var b = A.page.basemap || {};
    (b.images || []).forEach(function (image, index) {
      // A single-file lesson's map takes the image from its lesson (a same-origin srcdoc frame).
      var url = image.url === "shared" ? window.parent.AtlasShared.images[image.name] : image.url;
      L.imageOverlay(url, image.bounds, {
        pane: "tilePane", interactive: false, alt: "", className: "relief relief-" + index,
        attribution: index === 0 ? b.attribution : null
      }).addTo(A.map);
    });
    (b.tiles || []).forEach(function (t) {
      L.tileLayer(t.url, { attribution: t.attribution, maxZoom: t.maxZoom, minZoom: 0, errorTileUrl: NO_TILE }).addTo(A.map);
    });
  };

  A.starters.push(function startViews() {
    if (!A.map) return;
    A.map.setMaxZoom((A.page.basemap && A.page.basemap.maxZoom) || 18);
    // Inside first, at once: setMaxBounds would pan there animated, and that pan, ending
    // after the first fit, would move the map off it.
    A.map.panInsideBounds(WORLD, { animate: false });
    A.map.setMaxBounds(WORLD);
    A.map.options.maxBoundsViscosity = 1;
    limitZoom();
    A.map.on("resize", limitZoom);
    A.arrival = arrival();
    var view = A.arrival ? savedView() : null;
    if (stillShows(view)) A.map.setView([view.lat, view.lng], view.zoom, { animate: false });
    else fit();
    addShowAll();
    // Until the reader moves the map, a resized frame is fitted again.
    A.map.on("movestart", function () { if (!fitting) fitted = false; });
    A.map.on("resize", function () { if (fitted) fit(); });
    // Printing gives the map another size: draw it for the paper, fitted to all the period's
    // events, its names placed at once (a print draws no frames); the reader's view after.
    // (The paper's size is known only once the print media applies, not at beforeprint.)
    var screenView = null;
    var forPaper = function () {
      if (!screenView) screenView = [A.map.getCenter(), A.map.getZoom()];
      fitPaper();
      if (A.layoutLabelsNow) A.layoutLabelsNow();
    };
    var afterPaper = function () {
      if (!screenView) return;
      A.map.invalidateSize({ animate: false });
      A.map.setView(screenView[0], screenView[1], { animate: false });
      screenView = null;
    };
    window.addEventListener("beforeprint", forPaper);
    window.addEventListener("afterprint", afterPaper);
    if (window.matchMedia) {
      var print = window.matchMedia("print");
      if (print.addEventListener) print.addEventListener("change", function (e) { if (e.matches) forPaper(); });
    }
  });
})(window.Atlas);
