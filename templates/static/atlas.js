/* atlas: the behaviour of period and embed pages.
 *
 * User text arrives only inside JSON (feature properties, page data) and is put on the
 * page with DOM text nodes, never as HTML: a title such as "<script>" shows as text.
 * Dates are shown as the build wrote them; nothing here goes through JavaScript Date.
 */
(function () {
  "use strict";

  var layersById = {};
  var page = null;
  var map = null;

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
    if (p.control && p.control.length) box.appendChild(element("p", "popup-control", "Control: " + p.control.join(", then ")));
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
    layer.bindPopup(function () {
      return p.type === "event" ? eventPopup(p) : placePopup(p);
    }, { maxWidth: 320 });
    if (p.type === "event") {
      layer.bindTooltip(element("span", null, p.title));
      layer.on("popupopen", function () { markListItem(p.id); });
    } else if (p.label && feature.geometry && feature.geometry.type === "Point") {
      layer.bindTooltip(element("span", null, p.name), { permanent: true, direction: "right", className: "atlas-label", offset: [6, 0] });
    } else {
      layer.bindTooltip(element("span", null, p.name), { sticky: true });
    }
  }

  function markListItem(id) {
    var items = document.querySelectorAll(".event-list li");
    for (var i = 0; i < items.length; i++) {
      items[i].classList.toggle("selected", items[i].getAttribute("data-event") === id);
    }
  }

  function layerCentre(layer) {
    if (layer.getLatLng) return layer.getLatLng();
    if (layer.getBounds) return layer.getBounds().getCenter();
    return null;
  }

  /* Fly to an event or place and open its popup. */
  function show(id) {
    var layer = layersById[id];
    if (!layer || !map) return false;
    var centre = layerCentre(layer);
    if (centre) map.panTo(centre);
    var target = layer;
    if (layer.getLayers && layer.getLayers().length) target = layer.getLayers()[0];
    layer.openPopup(layerCentre(target) || centre);
    markListItem(id);
    return true;
  }

  function isTyping(target) {
    if (!target || !target.tagName) return false;
    return target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName) ||
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

  function start(data) {
    page = data;
    map = window[data.map] || null;
    document.addEventListener("keydown", onKey);
    var buttons = document.querySelectorAll("button.show-on-map");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].addEventListener("click", function (e) { show(e.currentTarget.getAttribute("data-event")); });
    }
    var wanted = decodeURIComponent(window.location.hash.slice(1));
    if (wanted) show(wanted);
  }

  window.Atlas = { bindFeature: bindFeature, start: start, show: show };
})();
