/* atlas: the behaviour of period, embed and compare pages, one concern a file, joined
 * into one script at build time (ES modules do not load from file://).
 *
 * User text arrives only inside the page's JSON data block (#atlas-page: the features
 * and their properties) and is put on the page with DOM text nodes, never as HTML: a
 * title such as "<script>" shows as text. Dates are shown as the build wrote them;
 * nothing here goes through JavaScript Date.
 */
window.Atlas = window.Atlas || {};
(function (A) {
  "use strict";

  A.page = null;           // the page's data block
  A.map = null;            // the Leaflet map, made by folium's script
  A.layersById = Object.create(null);  // no inherited keys: #constructor names no feature
  A.starters = [];         // what each part does once the page's data is read, in order

  A.element = function (tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null && text !== "") node.textContent = String(text);
    return node;
  };

  A.safeUrl = function (url) {
    return typeof url === "string" && /^https?:\/\//i.test(url) ? url : null;
  };

  /* The drawn SVG elements of a layer, a group's included. */
  A.elementsOf = function (layer) {
    if (layer.getLayers) {
      var all = [];
      layer.getLayers().forEach(function (child) { all = all.concat(A.elementsOf(child)); });
      return all;
    }
    var drawn = layer.getElement ? layer.getElement() : null;
    return drawn ? [drawn] : [];
  };

  /* Where a feature is: a point's position, or the middle of a line or area. */
  A.centreOf = function (layer) {
    if (layer.getLatLng) return layer.getLatLng();
    if (layer.feature && layer.feature.properties && layer.feature.properties.anchor) {
      var anchor = layer.feature.properties.anchor;
      return L.latLng(anchor[0], anchor[1]);
    }
    if (layer.getBounds) return layer.getBounds().getCenter();
    return null;
  };

  /* Whether the reader is touching rather than pointing: targets grow to finger size. */
  A.coarse = function () {
    return !!(window.matchMedia && window.matchMedia("(pointer: coarse)").matches);
  };
})(window.Atlas);
