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

  /* Fit the period's events (or, with none, its features) to the map as it is, whatever
   * the frame: a 260 px sidebar, a 560×400 lesson frame, a projector. */
  var fitted = false;
  var fitting = false;
  function eventsInside(bounds) {
    var inside = true;
    if (A.eventsLayer) A.eventsLayer.eachLayer(function (layer) {
      var dots = layer.getLayers ? layer.getLayers() : [layer];
      dots.forEach(function (dot) { if (!bounds.contains(dot.getLatLng())) inside = false; });
    });
    return inside;
  }

  function fit(paper) {
    fitted = true;  // the view is the page's own until the reader moves the map
    // The author's own view of the period stands on its page; a map alone (an embed, a
    // lesson's frame) keeps it only as long as it shows all the period's events. On paper,
    // which cannot be panned, every event is shown.
    if (!A.page.extent || (!paper && A.page.view_fixed && (A.page.kind === "period" || eventsInside(A.map.getBounds().pad(-0.03))))) {
      return;
    }
    var size = A.map.getSize();
    var pad = Math.max(12, Math.min(40, Math.round(Math.min(size.x, size.y) * 0.06)));
    fitting = true;
    A.map.fitBounds(A.page.extent, { padding: [pad, pad], maxZoom: Math.min(6, A.map.getMaxZoom()), animate: false });
    fitting = false;
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
    A.map.setMaxBounds(WORLD);
    A.map.options.maxBoundsViscosity = 1;
    limitZoom();
    A.map.on("resize", limitZoom);
    A.arrival = arrival();
    var view = A.arrival ? savedView() : null;
    if (stillShows(view)) A.map.setView([view.lat, view.lng], view.zoom, { animate: false });
    else fit();
    // Until the reader moves the map, a resized frame is fitted again.
    A.map.on("movestart", function () { if (!fitting) fitted = false; });
    A.map.on("resize", function () { if (fitted) fit(); });
    // Printing gives the map another size: draw it for the paper, fitted to the period's
    // events, its names placed at once (a print draws no frames); the reader's view after.
    // (The paper's size is known only once the print media applies, not at beforeprint.)
    var screenView = null;
    var forPaper = function () {
      if (!screenView) screenView = [A.map.getCenter(), A.map.getZoom()];
      A.map.invalidateSize({ animate: false });
      fit(true);
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
