/* The map's features: folium made the layers empty; they are filled here from the
 * page's data. Events are filled dots in their category's colour with a touch-sized
 * target around them, drawn above the places; places are black-and-white by kind. */
(function (A) {
  "use strict";

  function hitRadius() { return A.coarse() ? 22 : 14; }

  /* A dense map (see DENSE_FEATURES in features.py) is drawn on one canvas: its dots are
   * hit within a finger's or a pointer's reach by the canvas's own tolerance. Otherwise
   * each feature is an SVG element, named and reachable by the keyboard. */
  var renderer = null;

  function eventMarker(feature, latlng) {
    return L.circleMarker(latlng, L.extend({ renderer: renderer }, feature.properties.style, { className: "event-dot" }));
  }

  /* Around every event dot, a target a finger can hit: invisible, but painted
   * (fill-opacity 0 still takes clicks and taps), opening the event's own popup. */
  function addTargets(eventsLayer) {
    var targets = L.featureGroup();
    eventsLayer.eachLayer(function (layer) {
      var dots = layer.getLayers ? layer.getLayers() : [layer];
      dots.forEach(function (dot) {
        var target = L.circleMarker(dot.getLatLng(), {
          radius: hitRadius(), stroke: false, fill: true, fillOpacity: 0, className: "event-target"
        });
        target.on("click", function (e) {
          L.DomEvent.stop(e);
          layer.openPopup(dot.getLatLng());
        });
        target.on("mouseover", function () { layer.openTooltip(dot.getLatLng()); });
        target.on("mouseout", function () { layer.closeTooltip(); });
        target.on("add", function () {
          var drawn = target.getElement();
          if (drawn) drawn.setAttribute("data-target", layer.feature.properties.id);
        });
        targets.addLayer(target);
      });
    });
    targets.addTo(A.map);
    return targets;
  }

  function placeMarker(feature, latlng) {
    return L.circleMarker(latlng, L.extend({ renderer: renderer }, feature.properties.style, { className: "place-dot" }));
  }

  /* Called by Leaflet for every feature of every layer. */
  function bindFeature(feature, layer) {
    var p = feature.properties || {};
    A.layersById[p.id] = layer;
    layer.on("add", function () {
      var first = true;
      (layer.getLayers ? layer.getLayers() : [layer]).forEach(function (part) {
        // Name the drawn elements after their feature, for styles, scripts and tests alike.
        A.elementsOf(part).forEach(function (drawn) {
          drawn.setAttribute("data-feature", p.id);
          if (p.change) drawn.classList.add("changed", "changed-" + p.change);
          if (p.type === "event" && drawn.classList.contains("event-dot")) {
            // One Tab stop an event, however many dots it has: its first, in date order.
            drawn.setAttribute("tabindex", first ? "0" : "-1");
            first = false;
            drawn.setAttribute("role", "button");
            drawn.setAttribute("aria-label", p.date + ": " + p.title);
            drawn.addEventListener("keydown", function (e) {
              if (e.key === "Enter" || e.key === " ") { e.preventDefault(); A.show(p.id, false); }
            });
            drawn.addEventListener("focus", function () {
              // Reached by the keyboard (not a click): the map pans to the dot, which may lie
              // outside the view, so that the dot and its name above it can be seen. (The name
              // is its tooltip, which Leaflet opens on focus too: opened here first, to measure.)
              if (!drawn.matches(":focus-visible")) return;
              layer.openTooltip(part.getLatLng());
              var tip = layer.getTooltip();
              A.keepInView(part.getLatLng(), null, tip && tip.isOpen() ? tip.getElement() : null);
            });
          }
        });
      });
    });
    layer.bindPopup(function () { return A.popupFor(p); }, A.popupOptions());
    if (p.type === "event") {
      layer.bindTooltip(A.element("span", null, p.title), { direction: "top", offset: [0, -10] });
      layer.on("popupopen", function () { A.markEvent(p.id, false); });
    } else {
      layer.bindTooltip(A.element("span", null, p.name), { sticky: true });
      layer.on("popupopen", function () { A.markPlace(p.id); });
    }
  }
  A.bindFeature = bindFeature;

  /* A place as this period shows it: its feature from the catalogue every page shares
   * (features.py), with its look then, and what the page marks on it. */
  function placeFeature(entry, look, named) {
    var props = L.extend({}, entry.f.properties, entry.s[look]);
    var marks = A.page.marks || {};
    if (named[props.id]) {
      if (props.shape === "point") props.rank = 0;  // the places of the period's events are named first
      props.min_zoom = 0;
    }
    // A gazetteer's index is there to show its places: none waits for a closer zoom.
    if (A.page.kind === "index") props.min_zoom = 0;
    var change = marks.changes && Object.prototype.hasOwnProperty.call(marks.changes, props.id) ? marks.changes[props.id] : null;
    if (change) { props.change = change[0]; props.change_text = change[1]; }
    return { type: "Feature", id: entry.f.id, geometry: entry.f.geometry, properties: props };
  }

  var LAYER_OF = { area: "regions", line: "lines", point: "points" };

  /* The period's places by layer: every place that never changes, and the changing ones
   * the page names with their look then (a place it does not name did not exist then). */
  function placesByLayer() {
    var looks = A.page.looks, has = Object.prototype.hasOwnProperty;
    var layers = { regions: [], lines: [], points: [] };
    if (!looks || !A.places) return layers;
    var named = Object.create(null);  // the places of the period's events
    ((A.page.marks || {}).events || []).forEach(function (id) { named[id] = true; });
    A.places.forEach(function (entry) {
      var look = 0;
      if (entry.d) {
        if (!has.call(looks, entry.f.id)) return;
        look = looks[entry.f.id];
      }
      layers[LAYER_OF[entry.f.properties.shape]].push(placeFeature(entry, look, named));
    });
    return layers;
  }

  /* What lies over the map and hides part of it: its controls (the zoom buttons, the
   * places list, the scale, the credits), an embed's caption and legend, Present's slide. */
  var OVER = ".leaflet-control, .embed-caption, .embed-legend, .present-panel, .unknown-event";

  /* The map's free part, as margins: clear of what lies over it (a bar along an edge
   * takes that edge's margin; a tall panel, a side's), with a little room besides. */
  function freePadding() {
    var pad = { top: 12, left: 12, bottom: 12, right: 12 };
    var map = A.map.getContainer().getBoundingClientRect();
    var middle = { x: map.left + map.width / 2, y: map.top + map.height / 2 };
    document.querySelectorAll(OVER).forEach(function (over) {
      var r = over.getBoundingClientRect();
      if (!r.width || !r.height || r.right <= map.left || r.left >= map.right || r.bottom <= map.top || r.top >= map.bottom) return;
      if (r.height > map.height / 2) {
        if (r.left + r.width / 2 > middle.x) pad.right = Math.max(pad.right, map.right - r.left + 8);
        else pad.left = Math.max(pad.left, r.right - map.left + 8);
      } else if (r.top + r.height / 2 < middle.y) {
        pad.top = Math.max(pad.top, r.bottom - map.top + 8);
      } else {
        pad.bottom = Math.max(pad.bottom, map.bottom - r.top + 8);
      }
    });
    return pad;
  }

  /* How far to move a span [from, to] of the screen into [low, high]: not at all when it
   * is inside; when it cannot fit, so that `at` (the feature itself) is in the middle. */
  function shift(from, to, at, low, high) {
    if (to - from > high - low) return at < low || at > high ? at - (low + high) / 2 : 0;
    return from < low ? from - low : to > high ? to - high : 0;
  }

  /* Pan the map, only as far as needed, so that `at` (and `also`, an element over the map:
   * the feature's name) lies in its free part; then `then` (at once when it is there
   * already: a map that does not move sends no moveend). Only the last request's `then`
   * runs: the arrow keys in the places list ask again before a pan has ended. */
  var pending = null;
  A.keepInView = function (at, then, also) {
    if (!A.map || !at) return;
    if (pending) A.map.off("moveend", pending);
    pending = null;
    var pad = freePadding(), size = A.map.getSize(), p = A.map.latLngToContainerPoint(at);
    var box = { left: p.x - 12, right: p.x + 12, top: p.y - 12, bottom: p.y + 12 };
    if (also) {
      var map = A.map.getContainer().getBoundingClientRect(), r = also.getBoundingClientRect();
      box.left = Math.min(box.left, r.left - map.left);
      box.right = Math.max(box.right, r.right - map.left);
      box.top = Math.min(box.top, r.top - map.top);
      box.bottom = Math.max(box.bottom, r.bottom - map.top);
    }
    var dx = shift(box.left, box.right, p.x, pad.left, size.x - pad.right);
    var dy = shift(box.top, box.bottom, p.y, pad.top, size.y - pad.bottom);
    if (Math.abs(dx) < 1 && Math.abs(dy) < 1) { if (then) then(); return; }
    A.map.panBy([dx, dy]);
    // Farther than the map is wide or high, Leaflet moves at once, without a pan: done.
    if (!A.map.getSize().contains(L.point(dx, dy))) { if (then) then(); return; }
    // Waited for once the pan has begun: stopping a pan under way ends it with a moveend.
    if (then) {
      pending = function () { A.map.off("moveend", pending); pending = null; then(); };
      A.map.on("moveend", pending);
    }
  };

  /* Only the event dots are stops for the Tab key. Leaflet listens for focus on every
   * shape with a tooltip, which makes Chromium put each of them (fifty unnamed places and
   * outlines) in the Tab order: the places are reached through their list instead. */
  function outOfTabOrder(event) {
    var drawn = event.layer.getElement ? event.layer.getElement() : null;
    if (drawn && drawn instanceof SVGElement && !drawn.hasAttribute("tabindex")) drawn.setAttribute("tabindex", "-1");
  }

  /* The map itself is a stop for the Tab key (Leaflet's: its arrows pan, + and − zoom): it
   * says so, as its name. */
  function nameTheMap() {
    var box = A.map.getContainer();
    if (!A.map.keyboard || !A.map.keyboard.enabled()) return;
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", A.t("The map: the arrow keys move it, + and − zoom in and out"));
  }

  /* Leaflet's own words (its zoom buttons, the scale's units) in the page's language: the
   * scale says its units again at every move, so its drawing is wrapped once. */
  var UNITS = { km: "km", m: "m", mi: "mi", ft: "ft" };
  function units(text) {
    return String(text).replace(/ (km|m|mi|ft)$/, function (whole, unit) {
      return " " + ({ km: A.t("km"), m: A.t("m"), mi: A.t("mi"), ft: A.t("ft") })[unit] || whole;
    });
  }
  function speakLeaflet() {
    [[".leaflet-control-zoom-in", A.t("Zoom in")], [".leaflet-control-zoom-out", A.t("Zoom out")]].forEach(function (pair) {
      document.querySelectorAll(pair[0]).forEach(function (button) {
        button.title = pair[1];
        button.setAttribute("aria-label", pair[1]);
      });
    });
    var scale = L.Control.Scale && L.Control.Scale.prototype;
    if (scale && !scale._atlasUnits) {
      var draw = scale._updateScale;
      scale._updateScale = function (line, text, ratio) {
        draw.call(this, line, units(text), ratio);
      };
      scale._atlasUnits = UNITS;
    }
    document.querySelectorAll(".leaflet-control-scale-line").forEach(function (line) {
      line.textContent = units(line.textContent);
    });
    A.map.on("popupopen", function (event) {
      var close = event.popup.getElement() && event.popup.getElement().querySelector(".leaflet-popup-close-button");
      if (close) { close.setAttribute("aria-label", A.t("Close")); close.title = A.t("Close"); }
    });
  }

  /* The features come as data, not as script. */
  A.starters.push(function addFeatures() {
    if (!A.map) return;
    A.map.on("layeradd", outOfTabOrder);
    nameTheMap();
    speakLeaflet();
    A.dense = !!A.page.dense;
    if (A.dense) {
      renderer = L.canvas({ padding: 0.5, tolerance: A.coarse() ? 14 : 6 });
      A.map.getContainer().classList.add("dense-map");
    }
    var places = placesByLayer();
    A.page.layers.forEach(function (data) {
      var layer = window[data.name];
      if (!layer) return;
      var events = data.kind === "events";
      var features = events ? data.features : places[data.kind];
      layer.options.pointToLayer = events ? eventMarker : placeMarker;
      if (renderer) layer.options.renderer = renderer;  // lines and areas too
      if (!events) layer.options.style = function (feature) { return feature.properties.style; };
      layer.addData({ type: "FeatureCollection", features: features });
      if (events) {
        A.eventsLayer = layer;
        if (!A.dense) addTargets(layer);
      } else if (data.kind === "points") {
        A.pointsLayer = layer;
      }
    });
    A.map.on("resize", function () {
      var options = A.popupOptions();
      Object.keys(A.layersById).forEach(function (id) {
        var popup = A.layersById[id].getPopup();
        if (popup) L.setOptions(popup, options);
        if (popup && popup.isOpen()) popup.update();  // laid out again for the map's new size (a frame shown late)
      });
    });
  });
})(window.Atlas);
