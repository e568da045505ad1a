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
      // Name the drawn elements after their feature, for styles, scripts and tests alike.
      A.elementsOf(layer).forEach(function (drawn) {
        drawn.setAttribute("data-feature", p.id);
        if (p.change) drawn.classList.add("changed", "changed-" + p.change);
        if (p.type === "event" && drawn.classList.contains("event-dot")) {
          drawn.setAttribute("tabindex", "0");
          drawn.setAttribute("role", "button");
          drawn.setAttribute("aria-label", p.date + ": " + p.title);
          drawn.addEventListener("keydown", function (e) {
            if (e.key === "Enter" || e.key === " ") { e.preventDefault(); A.show(p.id, false); }
          });
        }
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

  /* The features come as data, not as script. */
  A.starters.push(function addFeatures() {
    if (!A.map) return;
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
