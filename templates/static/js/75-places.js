/* Places on this map: every place the map draws, in one list, one stop for the Tab key
 * after the events. Choosing a place (with the arrow keys, by typing its first letters,
 * or with a pointer) pans the map to it, only as far as needed, and opens its popup. The
 * places' own shapes are not Tab stops (see 30-features.js): fifty of them would come
 * before everything else on the page. Names are put in as text, never as markup. */
(function (A) {
  "use strict";

  /* Every place of the map, by its name on the map's day, then its kind. */
  function places() {
    var found = [];
    Object.keys(A.layersById).forEach(function (id) {
      var layer = A.layersById[id];
      var p = layer.feature && layer.feature.properties;
      if (p && p.type === "place") found.push({ id: id, name: p.name || id, kind: p.kind_label || "" });
    });
    return found.sort(function (a, b) { return a.name.localeCompare(b.name) || a.kind.localeCompare(b.kind); });
  }

  /* Show a place: drawn (a small town is left out at low zooms until it is asked for),
   * in the map's free part, with its popup open. */
  A.showPlace = function (id) {
    var layer = A.layersById[id];
    if (!layer || !A.map) return;
    var at = A.centreOf(layer);
    if (!at) return;
    A.map.closePopup();
    A.keepInView(at, function () {
      // Drawn just before its popup opens (which keeps it drawn): the names laid out after
      // a pan leave out a small place again until then.
      if (!A.map.hasLayer(layer) && A.pointsLayer) A.pointsLayer.addLayer(layer);
      layer.openPopup(at);
      // Its popup too, clear of the zoom buttons and the list (Leaflet's own pan keeps it
      // only inside the map's edges).
      var popup = layer.getPopup();
      if (popup && popup.isOpen()) A.keepInView(at, null, popup.getElement());
    });
  };

  function control(list) {
    var box = L.DomUtil.create("div", "leaflet-control places-control");
    var select = A.element("select", "places-select");
    var name = A.t("Places on this map");
    select.setAttribute("aria-label", A.t("Places on this map: choose one to show it"));
    select.title = name;
    select.appendChild(A.element("option", null, A.t("%(name)s (%(num)d)", { name: name, num: list.length }))).value = "";
    list.forEach(function (place) {
      var option = A.element("option", null, place.kind ? place.name + " — " + place.kind : place.name);
      option.value = place.id;
      select.appendChild(option);
    });
    // Each choice shows its place at once (the arrow keys change a closed list as they go).
    select.addEventListener("change", function () {
      if (select.value) A.showPlace(select.value);
      else A.map.closePopup();
    });
    box.appendChild(select);
    // The list's clicks and wheel are its own, not a drag or a zoom of the map under it.
    L.DomEvent.disableClickPropagation(box);
    L.DomEvent.disableScrollPropagation(box);
    return box;
  }

  A.starters.push(function startPlaces() {
    if (!A.map) return;
    var list = places();
    if (!list.length) return;
    // An embed's caption holds the map's top right corner: the list goes to the bottom.
    var corner = A.page.kind === "embed" ? "bottomright" : "topright";
    var Places = L.Control.extend({ options: { position: corner }, onAdd: function () { return control(list); } });
    new Places().addTo(A.map);
  });
})(window.Atlas);
