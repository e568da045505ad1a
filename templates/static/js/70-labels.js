/* The period's names on the map. Every drawn place is named where its label fits:
 * labels never overlap each other or an event's dot, and are placed in order of
 * importance (where the period's events happened, capitals, states, cities, the rest),
 * so the names that do not fit at this zoom appear as the reader zooms in. Their size
 * follows the screen (see .atlas-label in atlas.css). */
(function (A) {
  "use strict";

  var pane = null;
  var measure = null;
  var pending = false;

  function textWidth(text, font) {
    measure = measure || document.createElement("canvas").getContext("2d");
    measure.font = font;
    return measure.measureText(text).width;
  }

  function overlaps(a, list) {
    for (var i = 0; i < list.length; i++) {
      var b = list[i];
      if (a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2) return true;
    }
    return false;
  }

  /* What may be named: every place drawn, with where its name goes and its rank. */
  function candidates() {
    var found = [];
    Object.keys(A.layersById).forEach(function (id) {
      var layer = A.layersById[id];
      var p = layer.feature && layer.feature.properties;
      if (!p || p.type !== "place" || !p.name || !A.map.hasLayer(layer)) return;
      var at = A.centreOf(layer);
      if (at) found.push({ id: id, name: p.name, at: at, rank: p.rank, point: p.shape === "point",
                           radius: layer.getRadius ? layer.getRadius() : 0, changed: !!p.change });
    });
    return found.sort(function (a, b) { return a.rank - b.rank || a.name.length - b.name.length; });
  }

  /* The screen boxes labels must keep clear of: every event's dot. */
  function obstacles() {
    var boxes = [];
    if (!A.eventsLayer) return boxes;
    A.eventsLayer.eachLayer(function (group) {
      A.elementsOf(group).forEach(function (drawn) {
        if (!drawn.classList.contains("event-dot")) return;
        var r = drawn.getBoundingClientRect();
        var origin = A.map.getContainer().getBoundingClientRect();
        boxes.push({ x1: r.left - origin.left, y1: r.top - origin.top, x2: r.right - origin.left, y2: r.bottom - origin.top });
      });
    });
    return boxes;
  }

  function layout() {
    pending = false;
    if (!pane) return;
    pane.textContent = "";
    var sample = A.element("span", "atlas-label", "Mg");
    pane.appendChild(sample);
    var style = window.getComputedStyle(sample);
    var font = style.fontStyle + " " + style.fontWeight + " " + style.fontSize + " " + style.fontFamily;
    var height = sample.offsetHeight;
    var pad = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
    pane.removeChild(sample);
    var size = A.map.getSize();
    var placed = obstacles();
    var shown = 0;
    candidates().forEach(function (c) {
      var p = A.map.latLngToContainerPoint(c.at);
      if (p.x < -50 || p.y < -20 || p.x > size.x + 50 || p.y > size.y + 20) return;
      var w = textWidth(c.name, font) + pad + 1;
      // A place where an event happened has the event's dot on it: its name goes beside that.
      var gap = (c.rank === 0 ? 10 : c.radius) + 3;
      var spots = c.point ? [
        [p.x + gap, p.y - height / 2], [p.x - gap - w, p.y - height / 2],
        [p.x - w / 2, p.y - gap - height], [p.x - w / 2, p.y + gap]
      ] : [[p.x - w / 2, p.y - height / 2]];
      for (var i = 0; i < spots.length; i++) {
        var box = { x1: spots[i][0], y1: spots[i][1], x2: spots[i][0] + w, y2: spots[i][1] + height };
        if (box.x1 < 2 || box.y1 < 2 || box.x2 > size.x - 2 || box.y2 > size.y - 2 || overlaps(box, placed)) continue;
        placed.push(box);
        var label = A.element("span", "atlas-label" + (c.point ? "" : " atlas-label-area") +
                              (c.changed ? " atlas-label-changed" : ""), c.name);
        label.setAttribute("data-label", c.id);
        var at = A.map.containerPointToLayerPoint([box.x1, box.y1]);
        L.DomUtil.setPosition(label, at);
        pane.appendChild(label);
        shown += 1;
        break;
      }
    });
    pane.setAttribute("data-labels", String(shown));
  }

  A.layoutLabels = function () {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(layout);
  };

  A.starters.push(function startLabels() {
    if (!A.map) return;
    pane = A.map.createPane("labels");
    pane.setAttribute("aria-hidden", "true");  // the names are in the list and the popups, as text
    A.map.on("zoomstart", function () { pane.textContent = ""; });
    A.map.on("moveend zoomend resize viewreset", A.layoutLabels);
    A.layoutLabels();
  });
})(window.Atlas);
