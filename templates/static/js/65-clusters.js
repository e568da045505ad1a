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
    var title = A.tn("%(num)d event here: zoom in to see it", "%(num)d events here: zoom in to see them", members.length);
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
   * the others hidden under it. At every zoom each dot is set, in turn, at the first free
   * spot of a sunflower spiral around its place (most stay where they are), so that each
   * can be seen and opened. */
  var APART = 17;  // px between dots' centres: a dot is 16 px across with its rim
  function spreadStacks() {
    var single = [];
    A.eventsLayer.eachLayer(function (layer) {
      if (layer.getLayers) return;  // an event of several places: its dots stay where they are
      layer.atlasAt = layer.getLatLng();
      single.push(layer);
    });
    function place() {
      var zoom = A.map.getZoom(), placed = [];
      single.forEach(function (layer) {
        var home = A.map.project(layer.atlasAt, zoom), at = home;
        for (var k = 0; k < 400; k++) {
          var turn = k * 2.39996, reach = 10 * Math.sqrt(k);  // the golden angle: even spacing
          at = home.add([reach * Math.cos(turn), reach * Math.sin(turn)]);
          if (placed.every(function (other) { return other.distanceTo(at) >= APART; })) break;
        }
        placed.push(at);
        layer.setLatLng(A.map.unproject(at, zoom));
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
