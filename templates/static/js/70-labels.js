/* The period's names on the map. Every drawn place is named where its label fits:
 * labels never overlap each other or an event's dot, and are placed in order of
 * importance (where the period's events happened, capitals, states, cities, the rest),
 * so the names that do not fit at this zoom appear as the reader zooms in. Their size
 * follows the screen (see .atlas-label in atlas.css). */
(function (A) {
  "use strict";

  var pane = null;
  var MINOR = 4;  // ranks from here on (towns, sites, stations) are named in smaller type
  var measure = null;
  var pending = false;

  /* How wide and high a label of this look is, measured once per layout with the
   * screen's own font size (the canvas measures text; padding and letter spacing are
   * added, since the canvas knows neither). */
  function measurer(className) {
    var sample = A.element("span", className, "Mg");
    pane.appendChild(sample);
    var style = window.getComputedStyle(sample);
    var font = style.fontStyle + " " + style.fontWeight + " " + style.fontSize + " " + style.fontFamily;
    var pad = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight) + 2;
    var spacing = parseFloat(style.letterSpacing) || 0;
    var height = sample.offsetHeight;
    pane.removeChild(sample);
    measure = measure || document.createElement("canvas").getContext("2d");
    return {
      height: height,
      width: function (text) {
        measure.font = font;
        return measure.measureText(text).width + pad + spacing * text.length;
      }
    };
  }

  /* The boxes placed so far, in a grid of screen cells: a new box is tested against the
   * boxes of the cells it touches, not against every one (a dense map has thousands). */
  var GRID = 64;

  function Boxes() { this.cells = Object.create(null); }
  Boxes.prototype.keys = function (b) {
    var keys = [];
    for (var x = Math.floor(b.x1 / GRID); x <= Math.floor(b.x2 / GRID); x++) {
      for (var y = Math.floor(b.y1 / GRID); y <= Math.floor(b.y2 / GRID); y++) keys.push(x + ":" + y);
    }
    return keys;
  };
  Boxes.prototype.add = function (b) {
    var cells = this.cells;
    this.keys(b).forEach(function (k) { (cells[k] = cells[k] || []).push(b); });
  };
  Boxes.prototype.hits = function (a) {
    var keys = this.keys(a);
    for (var k = 0; k < keys.length; k++) {
      var list = this.cells[keys[k]] || [];
      for (var i = 0; i < list.length; i++) {
        var b = list[i];
        if (a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2) return true;
      }
    }
    return false;
  };

  function onScreen(p, size) {
    return !(p.x < -50 || p.y < -20 || p.x > size.x + 50 || p.y > size.y + 20);
  }

  /* What may be named: every place drawn on screen, with where its name goes and its rank. */
  function candidates(size) {
    var found = [];
    Object.keys(A.layersById).forEach(function (id) {
      var layer = A.layersById[id];
      var p = layer.feature && layer.feature.properties;
      if (!p || p.type !== "place" || !p.name || !A.map.hasLayer(layer)) return;
      var at = A.centreOf(layer);
      if (!at) return;
      var point = A.map.latLngToContainerPoint(at);
      if (!onScreen(point, size)) return;
      found.push({ id: id, name: p.name, point: point, rank: p.rank, dot: p.shape === "point",
                   radius: layer.getRadius ? layer.getRadius() : 0, changed: !!p.change, first: !!A.namedFirst[id] });
    });
    return found.sort(function (a, b) { return b.first - a.first || a.rank - b.rank || a.name.length - b.name.length; });
  }

  /* What labels must keep clear of: every event's dot and every place's, and a dense
   * map's gathered marks (worked out from the map, not the page's elements: a canvas
   * has none, and asking thousands of elements where they are is slow). */
  function obstacles(size) {
    var boxes = new Boxes();
    var add = function (layer, pad) {
      if (!layer.getLatLng) return;
      var p = A.map.latLngToContainerPoint(layer.getLatLng());
      if (!onScreen(p, size)) return;
      var r = (layer.getRadius ? layer.getRadius() + (layer.options.weight || 0) / 2 : pad);
      boxes.add({ x1: p.x - r, y1: p.y - r, x2: p.x + r, y2: p.y + r });
    };
    A.map.eachLayer(function (layer) {
      if (layer instanceof L.CircleMarker) {
        var className = layer.options.className || "";
        if (className === "event-dot" || className === "place-dot") add(layer, 0);
      } else if (layer instanceof L.Marker && layer.options.icon && layer.options.icon.options.className === "event-cluster") {
        add(layer, layer.options.icon.options.iconSize[0] / 2 + 2);
      }
    });
    return boxes;
  }

  /* A name that must be on the map (a lesson's questions ask about it) may go farther from
   * its place, still beside it: ending or beginning there, a few lines above or below. */
  function fartherSpots(p, w, height, gap) {
    var spots = [];
    [-0.5, -2, 1, -3.2, 2.2, -4.4, 3.4].forEach(function (rows) {
      [-w / 2, -w - gap, gap, -w * 0.85, -w * 0.15].forEach(function (dx) { spots.push([p.x + dx, p.y + rows * height]); });
    });
    return spots;
  }

  function layout() {
    pending = false;
    if (!pane) return;
    declutter();
    pane.textContent = "";
    var looks = { point: measurer("atlas-label"), minor: measurer("atlas-label atlas-label-minor"),
                  area: measurer("atlas-label atlas-label-area") };
    var size = A.map.getSize();
    var placed = obstacles(size);
    var shown = 0;
    candidates(size).forEach(function (c) {
      var p = c.point;
      // Towns, sites and stations are named smaller: the map's hierarchy, and room for more names.
      var kind = !c.dot ? "area" : c.rank >= MINOR ? "minor" : "point";
      var look = looks[kind];
      var w = look.width(c.name);
      var height = look.height;
      // A place where an event happened has the event's dot on it: its name goes beside that.
      var gap = (c.rank === 0 ? 10 : c.radius) + 3;
      var diagonal = gap * 0.7;
      var spots = c.dot ? [
        [p.x + gap, p.y - height / 2], [p.x - gap - w, p.y - height / 2],
        [p.x - w / 2, p.y - gap - height], [p.x - w / 2, p.y + gap],
        [p.x + diagonal, p.y - diagonal - height], [p.x + diagonal, p.y + diagonal],
        [p.x - diagonal - w, p.y - diagonal - height], [p.x - diagonal - w, p.y + diagonal]
      ] : [[p.x - w / 2, p.y - height / 2], [p.x - w / 2, p.y - height * 1.6], [p.x - w / 2, p.y + height * 0.6],
           [p.x - w * 0.8, p.y - height / 2], [p.x - w * 0.2, p.y - height / 2],
           [p.x - w / 2, p.y - height * 2.7], [p.x - w / 2, p.y + height * 1.7]];
      if (c.first) spots = spots.concat(fartherSpots(p, w, height, c.dot ? gap : 0));
      for (var i = 0; i < spots.length; i++) {
        var box = { x1: spots[i][0], y1: spots[i][1], x2: spots[i][0] + w, y2: spots[i][1] + height };
        if (box.x1 < 2 || box.y1 < 2 || box.x2 > size.x - 2 || box.y2 > size.y - 2 || placed.hits(box)) continue;
        placed.add(box);
        var label = A.element("span", "atlas-label" + (kind === "point" ? "" : " atlas-label-" + kind) +
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
    // The map is complete once its first names are placed: when, for the benchmark and tests.
    if (A.drawnAt === undefined) A.drawnAt = Math.round(performance.now());
  }

  /* Minor places come and go with the zoom (see MIN_ZOOMS in features.py). */
  function declutter() {
    var zoom = A.map.getZoom();
    Object.keys(A.layersById).forEach(function (id) {
      var layer = A.layersById[id];
      var p = layer.feature && layer.feature.properties;
      if (!p || p.type !== "place" || !p.min_zoom || !A.pointsLayer) return;
      if (zoom >= p.min_zoom || A.namedFirst[id]) { if (!A.pointsLayer.hasLayer(layer)) A.pointsLayer.addLayer(layer); }
      else if (A.pointsLayer.hasLayer(layer) && !layer.isPopupOpen()) A.pointsLayer.removeLayer(layer);
    });
  }

  // Places named before any other (a lesson's map names those its questions ask about).
  A.namedFirst = Object.create(null);

  /* Now, not at the next frame: a frame out of view draws no frames, and a printed lesson
   * needs the names of every map. */
  A.layoutLabelsNow = layout;

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
