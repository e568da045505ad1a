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

  /* The interface's words in the page's language (atlas/site/i18n.py made the page's
     `words`): a message as translated, its %(name)s filled in from `values`; the message
     itself (English) when the page carries no translation. */
  function fill(text, values) {
    return String(text).replace(/%\((\w+)\)[sd]|%%/g, function (whole, name) {
      if (whole === "%%") return "%";  // (a per cent sign, as Python's formatting writes it)
      return values && Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
    });
  }
  function words() { return (A.page && A.page.words) || {}; }
  A.t = function (message, values) {
    var found = (words().messages || {})[message];
    return fill(typeof found === "string" ? found : message, values);
  };
  /* A count's message: the language's plural form for n (its table covers 0..199; past
     that the form repeats with n % 100, as every plural rule in use does). */
  A.tn = function (one, many, n, values) {
    var all = Object.assign({num: n}, values || {});
    var forms = (words().messages || {})[one];
    if (!Array.isArray(forms)) return fill(n === 1 ? one : many, all);
    var table = words().plural || [];
    var index = table[n < table.length ? n : 100 + (n % 100)] || 0;
    return fill(forms[Math.min(index, forms.length - 1)], all);
  };

  /* Whether the reader is touching rather than pointing: targets grow to finger size. */
  /* The language switch leads to the same page in another language: the event or slide
   * the reader is on (the address's ?… and #…) comes along, and the map's view, as a step
   * to the next period keeps it (60-views.js). */
  document.addEventListener("click", function (event) {
    var link = event.target && event.target.closest && event.target.closest("a[data-keep-place]");
    if (!link) return;
    link.href = link.href.split(/[?#]/)[0] + window.location.search + window.location.hash;
    if (A.map && A.page && A.saveView) {
      A.saveView();
      try { sessionStorage.setItem("atlas-step", JSON.stringify({ enterAt: "", kind: A.page.kind })); } catch (err) { /* storage off */ }
    }
  });

  A.coarse = function () {
    return !!(window.matchMedia && window.matchMedia("(pointer: coarse)").matches);
  };
})(window.Atlas);
