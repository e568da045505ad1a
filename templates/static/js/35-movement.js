/* Movement and areas: an event's routes (a campaign's fronts, a migration) and its area
 * (a front line's zone, a battlefield), drawn under the event dots in the event's
 * colour. A route ends in an arrowhead at its last stop, pointing the way it went: the
 * arrow is turned by the route's last leg on the map (Web Mercator keeps angles, so the
 * angle is the same at every zoom). Clicking a route or an area opens its event. */
(function (A) {
  "use strict";

  var SVG = "http://www.w3.org/2000/svg";
  A.movementBounds = Object.create(null);  // event id → the bounds of its routes and area

  function latLngs(coordinates) {
    return coordinates.map(function (c) { return L.latLng(c[1], c[0]); });
  }

  /* The angle, in degrees clockwise from east on the screen, of a route's last leg (the
   * last two stops that are not on top of one another). */
  function heading(points) {
    var zoom = 8;
    var end = A.map.project(points[points.length - 1], zoom);
    for (var i = points.length - 2; i >= 0; i--) {
      var from = A.map.project(points[i], zoom);
      if (from.distanceTo(end) > 0.5) return Math.atan2(end.y - from.y, end.x - from.x) * 180 / Math.PI;
    }
    return 0;
  }

  /* An arrowhead whose tip is the route's last stop. */
  function arrowhead(points, colour, id, number) {
    var angle = heading(points);
    var box = document.createElementNS(SVG, "svg");
    box.setAttribute("viewBox", "0 0 24 24");
    box.setAttribute("width", "24");
    box.setAttribute("height", "24");
    box.setAttribute("aria-hidden", "true");
    var head = document.createElementNS(SVG, "polygon");
    head.setAttribute("points", "24,12 3,2 8,12 3,22");  // the tip at the right, middle
    head.setAttribute("fill", colour);
    head.setAttribute("stroke", "#ffffff");
    head.setAttribute("stroke-width", "1.5");
    head.setAttribute("stroke-linejoin", "round");
    box.appendChild(head);
    box.style.transformOrigin = "24px 12px";
    box.style.transform = "rotate(" + angle.toFixed(2) + "deg)";
    var icon = L.divIcon({ className: "route-arrow", html: box, iconSize: [24, 24], iconAnchor: [24, 12] });
    var marker = L.marker(points[points.length - 1], { icon: icon, interactive: false, keyboard: false, pane: "routeArrows" });
    marker.on("add", function () {
      var drawn = marker.getElement();
      if (drawn) {
        drawn.setAttribute("data-route-of", id);
        drawn.setAttribute("data-route", String(number));
        drawn.setAttribute("data-heading", angle.toFixed(2));
      }
    });
    return marker;
  }

  function openEvent(id) {
    return function (e) {
      L.DomEvent.stop(e);
      var layer = A.layersById[id];
      if (layer) layer.openPopup(e.latlng);
    };
  }

  /* An area too small to see at this zoom (a river island at the scale of a country) is
   * shown by a dashed ring of fixed size around it, as a map symbol is: the area itself
   * appears as the reader zooms in. */
  var smallAreas = [];
  var RING = 16;  // pixels: the ring's radius, and the size under which an area gets one

  function areaRing(area, colour, p) {
    var ring = L.circleMarker(area.getBounds().getCenter(), {
      radius: RING, color: colour, weight: 2, dashArray: "4 3", fill: true, fillColor: colour, fillOpacity: 0.12,
      pane: "movement", className: "event-area-ring"
    });
    ring.on("click", openEvent(p.id));
    ring.bindTooltip(A.element("span", null, A.t("%(title)s (a small area: zoom in to see it)", { title: p.title })), { direction: "top" });
    return ring;
  }

  function sizeRings() {
    smallAreas.forEach(function (item) {
      var box = item.area.getBounds();
      var size = A.map.latLngToLayerPoint(box.getNorthEast()).subtract(A.map.latLngToLayerPoint(box.getSouthWest()));
      var small = Math.max(Math.abs(size.x), Math.abs(size.y)) < RING * 1.5;
      if (small && !A.map.hasLayer(item.ring)) item.ring.addTo(A.movementLayer);
      else if (!small && A.movementLayer.hasLayer(item.ring)) A.movementLayer.removeLayer(item.ring);
    });
  }

  function draw(feature, group) {
    var p = feature.properties;
    var colour = p.style && p.style.fillColor || "#333333";
    var bounds = L.latLngBounds([]);
    if (p.area) {
      var area = L.geoJSON(p.area, { pane: "movement", style: function () {
        return { color: colour, weight: 2, opacity: 0.9, dashArray: "6 4", fillColor: colour, fillOpacity: 0.18,
                 className: "event-area" };
      } });
      area.on("click", openEvent(p.id));
      area.eachLayer(function (layer) { layer.bindTooltip(A.element("span", null, p.title), { sticky: true }); });
      group.addLayer(area);
      bounds.extend(area.getBounds());
      smallAreas.push({ area: area, ring: areaRing(area, colour, p) });
    }
    (p.routes || []).forEach(function (route, number) {
      var points = latLngs(route.geometry.coordinates);
      // A pale casing under the line keeps it legible over relief, borders and railways.
      group.addLayer(L.polyline(points, { color: "#ffffff", weight: 7, opacity: 0.75, interactive: false,
                                          className: "event-route-casing", pane: "movement" }));
      var line = L.polyline(points, { color: colour, weight: 4, opacity: 0.95, lineCap: "round",
                                      className: "event-route", pane: "movement" });
      line.on("click", openEvent(p.id));
      line.bindTooltip(A.element("span", null, route.label ? route.label + " · " + p.title : p.title), { sticky: true });
      line.on("add", function () {
        var drawn = line.getElement();
        if (drawn) {
          drawn.setAttribute("data-route-of", p.id);
          drawn.setAttribute("data-route", String(number));
        }
      });
      group.addLayer(line);
      group.addLayer(arrowhead(points, colour, p.id, number));
      bounds.extend(line.getBounds());
    });
    if (bounds.isValid()) A.movementBounds[p.id] = bounds;
  }

  A.starters.push(function addMovement() {
    if (!A.map || !A.page.layers) return;
    var events = null;
    A.page.layers.forEach(function (data) { if (data.kind === "events") events = data.features; });
    var moving = (events || []).filter(function (f) { return f.properties.routes || f.properties.area; });
    if (!moving.length) return;
    // Routes and areas go under the places' names and the event dots, the arrows just above the lines.
    var pane = A.map.createPane("movement");
    pane.style.zIndex = 390;
    var arrows = A.map.createPane("routeArrows");
    arrows.style.zIndex = 395;
    arrows.style.pointerEvents = "none";
    var group = L.featureGroup();
    moving.forEach(function (feature) { draw(feature, group); });
    group.addTo(A.map);
    A.movementLayer = group;
    if (smallAreas.length) {
      sizeRings();
      A.map.on("zoomend", sizeRings);
    }
  });
})(window.Atlas);
