/* A dense map's events, gathered at low zooms: where several dots would fall within a
 * cell of the screen, one round mark shows how many there are, and a click (or Enter)
 * zooms in to them. Zoomed in far enough, every dot is its own again. The cells are
 * fixed to the map's pixels at each zoom, so the marks stay put while the reader pans. */
(function (A) {
  "use strict";

  var CELL = 48;          // px: dots closer than about this are gathered
  var FEW = 200;          // a map with fewer events than this shows them all, always
  var group = null;
  var all = [];           // every event's layer (a dot, or a group of dots)

  function firstDot(layer) {
    return layer.getLayers && layer.getLayers().length ? layer.getLayers()[0] : layer;
  }

  function cellsAt(zoom) {
    var cells = Object.create(null);
    all.forEach(function (layer) {
      var at = firstDot(layer).getLatLng();
      var p = A.map.project(at, zoom);
      var key = Math.floor(p.x / CELL) + ":" + Math.floor(p.y / CELL);
      (cells[key] = cells[key] || []).push({ layer: layer, at: at });
    });
    return cells;
  }

  function mark(members) {
    var bounds = L.latLngBounds(members.map(function (m) { return m.at; }));
    var size = Math.round(Math.min(40, 20 + 5 * Math.log2(members.length)));
    var icon = L.divIcon({ className: "event-cluster", iconSize: [size, size] });
    var title = members.length + " events here: zoom in to see them";
    var marker = L.marker(bounds.getCenter(), { icon: icon, keyboard: true, title: title, alt: title });
    marker.on("add", function () {
      var element = marker.getElement();
      if (!element) return;
      element.textContent = String(members.length);  // a number: text, never markup
      element.setAttribute("role", "button");
      element.setAttribute("aria-label", title);
    });
    marker.on("click", function () {
      A.map.fitBounds(bounds.pad(0.3), { maxZoom: Math.min(A.map.getZoom() + 3, A.map.getMaxZoom()) });
    });
    return marker;
  }

  function regroup() {
    var zoom = A.map.getZoom();
    group.clearLayers();
    var open = A.openEvent || null;
    var cells = cellsAt(zoom);
    var last = zoom >= A.map.getMaxZoom();
    Object.keys(cells).forEach(function (key) {
      var members = cells[key];
      var gather = members.length > 1 && !last;
      members.forEach(function (m) {
        var shown = !gather || m.layer === open;
        if (shown && !A.eventsLayer.hasLayer(m.layer)) A.eventsLayer.addLayer(m.layer);
        if (!shown && A.eventsLayer.hasLayer(m.layer)) A.eventsLayer.removeLayer(m.layer);
      });
      if (gather) group.addLayer(mark(members));
    });
    A.map.getContainer().setAttribute("data-clusters", String(group.getLayers().length));
  }

  /* An event asked for (from the list, the player, a link) is shown even where its dot
   * is gathered into a mark. */
  A.reveal = function (layer) {
    if (!group || all.indexOf(layer) === -1) return;
    A.openEvent = layer;
    if (!A.eventsLayer.hasLayer(layer)) A.eventsLayer.addLayer(layer);
  };

  /* The index's overview: the events at one place (Peking has many) would be one dot with
   * the others hidden under it; they are set in a ring around the place, at every zoom, so
   * that each can be seen and opened. */
  function spreadStacks() {
    var stacks = Object.create(null);
    A.eventsLayer.eachLayer(function (layer) {
      if (layer.getLayers) return;  // an event of several places: its dots stay where they are
      layer.atlasAt = layer.atlasAt || layer.getLatLng();
      var key = layer.atlasAt.lat.toFixed(3) + "," + layer.atlasAt.lng.toFixed(3);
      (stacks[key] = stacks[key] || []).push(layer);
    });
    function place() {
      var zoom = A.map.getZoom();
      Object.keys(stacks).forEach(function (key) {
        var stack = stacks[key], n = stack.length;
        var ring = n > 1 ? Math.max(12, 2.8 * n) : 0;  // px: room for n dots side by side
        stack.forEach(function (layer, i) {
          var turn = 2 * Math.PI * i / n - Math.PI / 2;
          var at = A.map.project(layer.atlasAt, zoom).add([ring * Math.cos(turn), ring * Math.sin(turn)]);
          layer.setLatLng(A.map.unproject(at, zoom));
        });
      });
    }
    A.map.on("zoomend", place);
    place();
  }

  A.starters.push(function startClusters() {
    if (A.map && A.eventsLayer && A.page.kind === "index") spreadStacks();
    if (!A.map || !A.dense || !A.eventsLayer) return;
    all = A.eventsLayer.getLayers();
    if (all.length < FEW) return;
    group = L.layerGroup().addTo(A.map);
    A.map.on("zoomend", regroup);
    regroup();
  });
})(window.Atlas);
