/* The event list and the map point at each other: a click in the list shows the event
 * on the map; a popup on the map highlights its line in the list. Only the list ever
 * scrolls for it, never the window. */
(function (A) {
  "use strict";

  function listItems() {
    return document.querySelectorAll(".event-list li[data-event]");
  }

  A.order = [];     // the period's event ids in date order (the list's order)
  A.current = -1;   // index in A.order of the selected event

  /* Bring a line of the list into view: by scrolling the list alone when it is a box of
   * its own (beside the map); on a phone, where the page is the list and the map is held
   * at the top, by scrolling the page to put the line just under the map. */
  function scrollList(item) {
    var box = item.closest(".events");
    var panel = document.querySelector(".map-panel");
    if (panel && window.getComputedStyle(panel).position === "sticky") {
      item.scrollIntoView({ block: "nearest" });  // scroll-margin-top keeps it clear of the map
      return;
    }
    if (!box || box.scrollHeight <= box.clientHeight + 1) return;
    var top = item.getBoundingClientRect().top - box.getBoundingClientRect().top + box.scrollTop;
    var bottom = top + item.offsetHeight;
    if (top < box.scrollTop) box.scrollTop = top - 8;
    else if (bottom > box.scrollTop + box.clientHeight) box.scrollTop = bottom - box.clientHeight + 8;
  }

  /* Highlight an event's line in the list (and only it). */
  A.markEvent = function (id, scroll) {
    var items = listItems();
    for (var i = 0; i < items.length; i++) {
      var selected = items[i].getAttribute("data-event") === id;
      items[i].classList.toggle("selected", selected);
      items[i].classList.remove("related");
      if (selected && scroll) scrollList(items[i]);
    }
    A.current = A.order.indexOf(id);
    if (A.updatePlayer) A.updatePlayer();
  };

  /* "Read it all in the list": the event's line, in view and focused. */
  A.revealInList = function (id) {
    var item = document.getElementById("event-" + id);
    if (!item) return;
    A.markEvent(id, true);
    item.setAttribute("tabindex", "-1");
    item.focus({ preventScroll: true });
  };

  /* A place clicked on the map: highlight the events that happened there. */
  A.markPlace = function (id) {
    var items = listItems();
    for (var i = 0; i < items.length; i++) {
      var places = (items[i].getAttribute("data-places") || "").split(" ");
      items[i].classList.toggle("related", places.indexOf(id) !== -1);
      items[i].classList.remove("selected");
    }
  };

  /* Bring `target` into view (a point, or the bounds of an event's routes and area), then
   * call `open`: at once, or once a flight has ended. */
  function bringIntoView(target, fly, open) {
    var moving = target instanceof L.LatLngBounds;
    // In close enough to tell the place, never closer than its context (60-views.js);
    // a reader's own closer zoom is kept.
    var centre = moving ? target.getCenter() : target;
    var zoom = Math.max(A.map.getZoom(), Math.min(5, A.contextZoom(centre.lat)));
    var far = moving ? !A.map.getBounds().contains(target)
      : !A.map.getBounds().pad(-0.2).contains(target) || zoom !== A.map.getZoom();
    if (!far) return open();
    if (fly) A.map.once("moveend", open);
    if (moving) A.fitArea(target, fly);
    else if (fly) A.map.flyTo(target, zoom, { duration: 0.6 });
    else A.map.setView(target, zoom, { animate: false });
    if (!fly) open();
  }

  /* The whole of an event that moved (its routes, its area, its dots), and its dot nearest
   * the middle, where its popup moves the map least; null for any other feature. */
  function movement(id, layer, centre) {
    var moved = A.movementBounds && A.movementBounds[id];
    if (!moved) return null;
    var whole = L.latLngBounds(moved.getSouthWest(), moved.getNorthEast()).extend(centre);
    var middle = whole.getCenter();
    (layer.getLayers ? layer.getLayers() : [layer]).forEach(function (dot) {
      if (dot.getLatLng && middle.distanceTo(dot.getLatLng()) < middle.distanceTo(centre)) centre = dot.getLatLng();
    });
    return { bounds: whole, centre: centre };
  }

  /* Fly to an event or place, then open its popup once the map has stopped moving (a
   * popup opened mid-flight is placed for a view that is about to change). An event with
   * routes or an area is shown whole: where it went, not only where it is pinned. */
  A.show = function (id, fly) {
    var layer = A.layersById[id];
    if (layer && layer.feature && layer.feature.properties.type === "event") A.markEvent(id, true);
    if (!layer || !A.map) return false;
    if (A.reveal) A.reveal(layer);
    var target = layer.getLayers && layer.getLayers().length ? layer.getLayers()[0] : layer;
    var centre = A.centreOf(target);
    if (!centre) return false;
    A.map.closePopup();
    var whole = movement(id, layer, centre);
    if (whole) centre = whole.centre;
    bringIntoView(whole ? whole.bounds : centre, fly, function () { layer.openPopup(centre); });
    if (window.history && history.replaceState && A.page.kind === "period") {
      history.replaceState(null, "", "#" + encodeURIComponent(id));
    }
    return true;
  };

  function onListClick(event) {
    var target = event.target;
    if (target.closest("a")) return;  // a source link keeps its own meaning
    var item = target.closest("li[data-event]");
    if (!item) return;
    // The index's undated events lie under its map on a phone: the map is brought back into view.
    if (A.page.kind === "index" && A.map) A.map.getContainer().scrollIntoView({ block: "nearest" });
    A.show(item.getAttribute("data-event"), true);
  }

  A.starters.push(function startList() {
    var items = listItems();
    for (var i = 0; i < items.length; i++) A.order.push(items[i].getAttribute("data-event"));
    var list = document.querySelector(".event-list");
    if (list) list.addEventListener("click", onListClick);
  });
})(window.Atlas);
