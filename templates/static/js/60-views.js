/* The basemap, the zoom limits, and the view kept from one period to the next. */
(function (A) {
  "use strict";

  var VIEW_KEY = "atlas-view";
  // A transparent pixel for tiles that fail: the offline relief underneath shows instead.
  var NO_TILE = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7";
  var WORLD = [[-85.0511, -180], [85.0511, 180]];

  function saveView() {
    if (!A.map) return;
    try {
      var b = A.map.getBounds();
      sessionStorage.setItem(VIEW_KEY + ":" + A.page.kind, JSON.stringify({
        lat: A.map.getCenter().lat, lng: A.map.getCenter().lng, zoom: A.map.getZoom(),
        bounds: [[b.getSouth(), b.getWest()], [b.getNorth(), b.getEast()]]
      }));
    } catch (err) { /* storage may be off (privacy settings): keep the period's own view */ }
  }

  function savedView() {
    try { return JSON.parse(sessionStorage.getItem(VIEW_KEY + ":" + A.page.kind) || "null"); } catch (err) { return null; }
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
    var view = savedView();
    if (stillShows(view)) A.map.setView([view.lat, view.lng], view.zoom, { animate: false });
    window.addEventListener("pagehide", saveView);
  });
})(window.Atlas);
