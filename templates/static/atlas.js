/* atlas: the behaviour of period and embed pages.
 *
 * User text arrives only inside the page's JSON data block (#atlas-page: the features
 * and their properties) and is put on the page with DOM text nodes, never as HTML: a
 * title such as "<script>" shows as text.
 * Dates are shown as the build wrote them; nothing here goes through JavaScript Date.
 */
(function () {
  "use strict";

  var layersById = Object.create(null);  // no inherited keys: #constructor names no event
  var page = null;
  var map = null;
  var order = [];          // the period's event ids in date order (the list's order)
  var current = -1;        // index in `order` of the selected event
  var playing = null;      // the player's interval timer
  var PLAY_SECONDS = 4;

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null && text !== "") node.textContent = String(text);
    return node;
  }

  function safeUrl(url) {
    return typeof url === "string" && /^https?:\/\//i.test(url) ? url : null;
  }

  function sourceList(sources) {
    var list = element("ul", "popup-sources");
    (sources || []).forEach(function (source) {
      var item = element("li");
      var url = safeUrl(source.url);
      if (url) {
        var link = element("a", null, source.label);
        link.href = url;
        link.target = "_blank";
        link.rel = "noopener";
        item.appendChild(link);
      } else {
        item.appendChild(element("cite", null, source.label));
      }
      list.appendChild(item);
    });
    return list;
  }

  function placePopup(p) {
    var box = element("div", "popup popup-place");
    box.appendChild(element("h3", "popup-title", p.name));
    if (p.others && p.others.length) box.appendChild(element("p", "popup-others", "Also: " + p.others.join(", ")));
    if (p.existed) box.appendChild(element("p", "popup-existed", "Existed: " + p.existed));
    if (p.control_history && p.control_history.length) {
      box.appendChild(element("p", "popup-control", "Control: " + p.control_history.join(", then ")));
    }
    if (p.description) box.appendChild(element("p", "popup-summary", p.description));
    if (p.sources && p.sources.length) box.appendChild(sourceList(p.sources));
    return box;
  }

  function eventPopup(p) {
    var box = element("div", "popup popup-event");
    box.appendChild(element("p", "popup-date", p.date));
    box.appendChild(element("h3", "popup-title", p.title));
    if (p.places && p.places.length) box.appendChild(element("p", "popup-places", p.places.join(", ")));
    if (p.summary) box.appendChild(element("p", "popup-summary", p.summary));
    if (p.sources && p.sources.length) box.appendChild(sourceList(p.sources));
    return box;
  }

  /* Called by Leaflet for every feature of every GeoJSON layer. */
  function bindFeature(feature, layer) {
    var p = feature.properties || {};
    layersById[p.id] = layer;
    // Name the drawn element after its feature, for styles, scripts and tests alike.
    layer.on("add", function () {
      var drawn = layer.getElement ? layer.getElement() : null;
      if (drawn) drawn.setAttribute("data-feature", p.id);
    });
    layer.bindPopup(function () {
      return p.type === "event" ? eventPopup(p) : placePopup(p);
    }, { maxWidth: 320, autoPanPadding: [24, 24] });
    if (p.type === "event") {
      layer.bindTooltip(element("span", null, p.title));
      layer.on("popupopen", function () { markEvent(p.id, false); });
    } else {
      var options = p.label && feature.geometry && feature.geometry.type === "Point" ?
        { permanent: true, direction: "right", className: "atlas-label", offset: [6, 0] } : { sticky: true };
      layer.bindTooltip(element("span", null, p.name), options);
      layer.on("popupopen", function () { markPlace(p.id); });
    }
  }

  function listItems() {
    return document.querySelectorAll(".event-list li[data-event]");
  }

  /* Highlight an event's line in the list (and only it). */
  function markEvent(id, scroll) {
    var items = listItems();
    for (var i = 0; i < items.length; i++) {
      var selected = items[i].getAttribute("data-event") === id;
      items[i].classList.toggle("selected", selected);
      items[i].classList.remove("related");
      if (selected && scroll && items[i].scrollIntoView) items[i].scrollIntoView({ block: "nearest" });
    }
    current = order.indexOf(id);
    updatePlayer();
  }

  /* A place clicked on the map: highlight the events that happened there. */
  function markPlace(id) {
    var items = listItems();
    for (var i = 0; i < items.length; i++) {
      var places = (items[i].getAttribute("data-places") || "").split(" ");
      items[i].classList.toggle("related", places.indexOf(id) !== -1);
      items[i].classList.remove("selected");
    }
  }

  function layerCentre(layer) {
    if (layer.getLatLng) return layer.getLatLng();
    if (layer.getBounds) return layer.getBounds().getCenter();
    return null;
  }

  /* Fly to an event or place, open its popup, highlight it in the list. */
  function show(id, fly) {
    markEvent(id, true);
    var layer = layersById[id];
    if (!layer || !map) return false;
    var target = layer.getLayers && layer.getLayers().length ? layer.getLayers()[0] : layer;
    var centre = layerCentre(target);
    if (centre && fly) map.flyTo(centre, Math.max(map.getZoom(), 5), { duration: 0.6 });
    else if (centre) map.panTo(centre, { animate: false });
    layer.openPopup(centre);
    if (window.history && history.replaceState && page.kind === "period") {
      history.replaceState(null, "", "#" + encodeURIComponent(id));
    }
    return true;
  }

  /* ---- the event player: step through the period's events in date order ---- */

  function step(delta) {
    if (!order.length) return;
    var next = current + delta;
    if (next < 0) next = 0;
    if (next >= order.length) { stop(); return; }
    show(order[next], true);
  }

  function stop() {
    if (playing) window.clearInterval(playing);
    playing = null;
    updatePlayer();
  }

  function togglePlay() {
    if (playing) { stop(); return; }
    if (current >= order.length - 1) current = -1;
    step(1);
    playing = window.setInterval(function () { step(1); }, PLAY_SECONDS * 1000);
    updatePlayer();
  }

  function updatePlayer() {
    var status = document.querySelector(".player-status");
    var play = document.querySelector(".player [data-step=play]");
    if (play) {
      play.setAttribute("aria-pressed", playing ? "true" : "false");
      play.textContent = playing ? "Pause" : "Play";
    }
    if (!status) return;
    if (current < 0) { status.textContent = order.length + " events"; return; }
    var item = document.querySelector('.event-list li[data-event="' + order[current] + '"] .event-title');
    status.textContent = "Event " + (current + 1) + " of " + order.length + (item ? ": " + item.textContent : "");
  }

  function startPlayer() {
    var items = listItems();
    for (var i = 0; i < items.length; i++) order.push(items[i].getAttribute("data-event"));
    var buttons = document.querySelectorAll(".player button[data-step]");
    for (var j = 0; j < buttons.length; j++) {
      buttons[j].addEventListener("click", function (e) {
        var what = e.currentTarget.getAttribute("data-step");
        if (what === "play") togglePlay();
        else { stop(); step(what === "next" ? 1 : -1); }
      });
    }
    updatePlayer();
  }

  /* ---- keeping the view from one period to the next ---- */

  var VIEW_KEY = "atlas-view";

  function saveView() {
    if (!map) return;
    try {
      var b = map.getBounds();
      sessionStorage.setItem(VIEW_KEY + ":" + page.kind, JSON.stringify({
        lat: map.getCenter().lat, lng: map.getCenter().lng, zoom: map.getZoom(),
        bounds: [[b.getSouth(), b.getWest()], [b.getNorth(), b.getEast()]]
      }));
    } catch (err) { /* storage may be off (privacy settings): keep the period's own view */ }
  }

  function savedView() {
    try { return JSON.parse(sessionStorage.getItem(VIEW_KEY + ":" + page.kind) || "null"); } catch (err) { return null; }
  }

  /* Whether a saved view still shows most of this period's features. */
  function covers(view, extent) {
    if (!view || !extent) return false;
    var s = Math.max(view.bounds[0][0], extent[0][0]), w = Math.max(view.bounds[0][1], extent[0][1]);
    var n = Math.min(view.bounds[1][0], extent[1][0]), e = Math.min(view.bounds[1][1], extent[1][1]);
    if (n < s || e < w) return false;
    var area = Math.max((extent[1][0] - extent[0][0]) * (extent[1][1] - extent[0][1]), 1e-6);
    return (n - s) * (e - w) / area >= 0.6;
  }

  function chooseView() {
    var view = savedView();
    if (covers(view, page.extent)) map.setView([view.lat, view.lng], view.zoom, { animate: false });
  }

  // A transparent pixel for tiles that fail: the offline relief underneath shows instead.
  var NO_TILE = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7";

  function addBasemap() {
    var b = page.basemap || {};
    if (b.image) {
      var url = b.image.url === "shared" ? window.parent.AtlasShared.basemap : b.image.url;
      L.imageOverlay(url, b.image.bounds, {
        pane: "tilePane", interactive: false, attribution: b.image.attribution, alt: ""
      }).addTo(map);
    }
    (b.tiles || []).forEach(function (t) {
      L.tileLayer(t.url, { attribution: t.attribution, maxZoom: t.maxZoom, minZoom: 0, errorTileUrl: NO_TILE }).addTo(map);
    });
  }

  /* ---- page set-up ---- */

  function isTyping(target) {
    if (!target || !target.tagName) return false;
    return target.isContentEditable || /^(INPUT|TEXTAREA|SELECT|BUTTON)$/.test(target.tagName) ||
      (target.closest && target.closest(".leaflet-container") !== null);
  }

  function onKey(event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey || isTyping(event.target)) return;
    var target = event.key === "ArrowLeft" ? page.previous : event.key === "ArrowRight" ? page.next : null;
    if (target) {
      event.preventDefault();
      window.location.href = target;
    }
  }

  function onListClick(event) {
    var target = event.target;
    if (target.closest("a")) return;  // a source link keeps its own meaning
    var item = target.closest("li[data-event]");
    if (item) show(item.getAttribute("data-event"), true);
  }

  function startSnippet() {
    var box = document.querySelector(".embed-snippet textarea");
    var button = document.querySelector(".embed-snippet button");
    if (!box || !button) return;
    // Escaped for the attribute it lands in, in the page the code is pasted into.
    var src = new URL(box.getAttribute("data-src"), window.location.href).href
      .replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
    box.value = box.value.replace('src="' + box.getAttribute("data-src") + '"', 'src="' + src + '"');
    button.addEventListener("click", function () {
      // The selection is the fallback: the reader can press Ctrl+C if no copy works.
      box.select();
      var copied = false;
      try { copied = document.execCommand("copy"); } catch (err) { copied = false; }
      if (copied) { button.textContent = "Copied"; return; }
      var manual = function () { button.textContent = "Press Ctrl+C to copy"; };
      if (navigator.clipboard) {
        navigator.clipboard.writeText(box.value).then(function () { button.textContent = "Copied"; }, manual);
      } else {
        manual();
      }
    });
  }

  function wantedEvent() {
    // A single-file lesson's iframe has no address of its own: its event comes in the page data.
    var fragment = window.location.hash.slice(1);
    try { fragment = decodeURIComponent(fragment); } catch (err) { fragment = ""; }  // a broken %-escape
    return fragment || page.open || "";
  }

  function showHash() {
    var wanted = wantedEvent();
    if (wanted && layersById[wanted]) show(wanted, false);
  }

  /* The features come as data, not as script: folium drew the empty layers. */
  function addFeatures() {
    page.layers.forEach(function (data) {
      var layer = window[data.name];
      if (!layer) return;
      layer.options.style = function (feature) { return feature.properties.style; };
      layer.addData({ type: "FeatureCollection", features: data.features });
    });
  }

  function start() {
    var block = document.getElementById("atlas-page");
    if (!block) return;
    page = JSON.parse(block.textContent);
    map = window[page.map] || null;
    addFeatures();
    document.addEventListener("keydown", onKey);
    var list = document.querySelector(".event-list");
    if (list) list.addEventListener("click", onListClick);
    startPlayer();
    startSnippet();
    if (map) {
      chooseView();
      // The basemap comes last, once the view is settled (a deep link's popup may pan the
      // map to fit): tiles are then fetched once, for the view the reader sees.
      var panning = false;
      var onPan = function () { panning = true; };
      map.once("autopanstart", onPan);
      showHash();
      map.off("autopanstart", onPan);
      if (panning) map.once("moveend", addBasemap); else addBasemap();
      window.addEventListener("pagehide", saveView);
    }
    window.addEventListener("hashchange", showHash);
  }

  window.Atlas = { bindFeature: bindFeature, show: show };
  // Every script of the page has run by then, folium's map included.
  document.addEventListener("DOMContentLoaded", start);
})();
