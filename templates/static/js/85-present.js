/* Presentation mode (periods/<id>.html?present, or the Present button): the period as
 * slides, full screen. The first slide is the period (its title, dates, summary and
 * changes), then one slide an event in date order, the map flying to the event's
 * places; after the last slide the next period's presentation follows. Clicker and
 * keys: Page Down, → or Space the next slide, Page Up or ← the previous, B or . a black
 * screen (W or , a white one), Esc leaves. Without keys (a tablet, a touch whiteboard, a
 * mouse): the slide's ◀ ▶ Full screen ✕ buttons, a swipe across the slide, or a tap on its left
 * or right side. The slide is in the address (?present=3), so a reload goes on from it.
 * Every text is copied from the page as text (textContent), never as markup. */
(function (A) {
  "use strict";

  var ENTER = "atlas-present-enter";  // "last": arriving from the next period, backwards
  var on = false;
  var at = 0;          // the slide shown: 0 the period, 1… the events
  var panel = null;
  var content = null;  // the slide itself, inside the panel, above its controls
  var curtain = null;  // a black or white screen hiding everything
  var SWIPE = 50;      // px across, more than down, that make a swipe

  function slides() { return A.order.length + 1; }

  function text(selector, root) {
    var node = (root || document).querySelector(selector);
    return node ? node.textContent.trim() : "";
  }

  function line(tag, className, words) {
    var node = document.createElement(tag);
    node.className = className;
    node.textContent = words;
    return node;
  }

  function render() {
    content.textContent = "";
    var body = document.createElement("div");
    body.className = "present-body";
    if (at === 0) {
      body.appendChild(line("p", "present-kicker", text(".atlas-title")));
      body.appendChild(line("h2", "present-title", text(".period-header h1")));
      body.appendChild(line("p", "present-date", text(".period-header .dates")));
      var summary = text(".events > .summary");
      if (summary) body.appendChild(line("p", "present-summary", summary));
      var changes = document.querySelectorAll(".changes li");
      if (changes.length) {
        var list = document.createElement("ul");
        list.className = "present-changes";
        for (var i = 0; i < Math.min(changes.length, 6); i++) list.appendChild(line("li", "", changes[i].textContent.trim()));
        if (changes.length > 6) list.appendChild(line("li", "present-more", A.tn("and %(num)d more change", "and %(num)d more changes", changes.length - 6)));
        body.appendChild(list);
      }
    } else {
      var id = A.order[at - 1];
      var item = document.querySelector('.event-list li[data-event="' + id + '"]');
      body.appendChild(line("p", "present-date", text(".event-date", item)));
      // The event's category in words beside its colour: a colour alone fails on a washed-out
      // projector and for colour-blind pupils (the list's own element, made by its template).
      var category = item ? item.querySelector(".event-category") : null;
      if (category) {
        var kind = category.cloneNode(true);
        kind.className = "present-category";
        body.appendChild(kind);
      }
      body.appendChild(line("h2", "present-title", text(".event-title", item)));
      var places = text(".event-places", item);
      if (places) body.appendChild(line("p", "present-places", places));
      var words = text(".event-summary", item);
      if (words) body.appendChild(line("p", "present-summary", words));
      var routes = text(".event-routes", item);
      if (routes) body.appendChild(line("p", "present-routes", routes));
      // The event's images and quotations: the list's own figures (built by the page's
      // template, with their text escaped), copied whole.
      var media = item ? item.querySelectorAll(".event-media") : [];
      for (var m = 0; m < media.length; m++) {
        var copy = media[m].cloneNode(true);
        copy.classList.add("present-media");
        var img = copy.querySelector("img");
        if (img) { img.loading = "eager"; img.setAttribute("sizes", "(max-width: 900px) 90vw, 34vw"); }
        body.appendChild(copy);
      }
    }
    content.appendChild(body);
    var progress = line("p", "present-progress", A.t("Slide %(num)d of %(all)d", { num: at + 1, all: slides() }));
    progress.setAttribute("aria-live", "polite");
    content.appendChild(progress);
    remember();
    shrinkToFit(body);
    fit(at === 0 ? null : A.order[at - 1]);  // once the slide is laid out: the map's free part is known
  }

  /* A slide must fit: a clicker cannot scroll. Long text is set smaller, step by step,
   * down to a size still legible from the back of a classroom (on a phone, held in the
   * hand, it scrolls instead). */
  function shrinkToFit(body) {
    body.style.fontSize = "";
    var size = 100;
    var least = window.innerWidth > 900 ? 62 : 88;  // a phone's slide scrolls rather than shrink past reading
    while (body.scrollHeight > body.clientHeight + 1 && size > least) {
      size -= 6;
      body.style.fontSize = size + "%";
    }
  }

  /* Fly to a view ([latitude, longitude, zoom]), its centre in the middle of the map's
   * free part (clear of the slide), no closer than the context zoom. */
  function flyBeside(view) {
    if (!view || view.length !== 3 || view.some(isNaN)) return false;
    var zoom = Math.min(view[2], A.contextZoom(view[0]));
    var room = A.uncovered(), size = A.map.getSize();
    // From the free part's middle to the map's: where the view's centre must go.
    var shift = L.point((room.bottomRight.x - room.topLeft.x) / 2, (room.bottomRight.y - room.topLeft.y) / 2);
    if (!size.x) return false;
    var centre = A.map.unproject(A.map.project(L.latLng(view[0], view[1]), zoom).add(shift), zoom);
    A.map.flyTo(centre, zoom, { duration: 0.8 });
    return true;
  }

  /* An event's own view (`view:` in events.yaml). */
  function flyToView(item) {
    return flyBeside((item && item.getAttribute("data-view") || "").split(",").map(Number));
  }

  /* The map's view for a slide, in the map's free part beside the slide: the event's own
   * view, or its places (and routes); for the period's slide its area of interest (the
   * events its `view:` shows: not Moscow and Geneva with China under the slide). */
  function fit(id) {
    if (!A.map) return;
    A.map.closePopup();
    if (id && A.markEvent) A.markEvent(id, true);
    if (id && flyToView(document.querySelector('.event-list li[data-event="' + id + '"]'))) return;
    var layer = id ? A.layersById[id] : null;
    if (layer && A.reveal) A.reveal(layer);
    var bounds = null;
    if (layer && layer.getBounds) bounds = L.latLngBounds(layer.getBounds().getSouthWest(), layer.getBounds().getNorthEast());
    else if (layer && layer.getLatLng) bounds = L.latLngBounds([layer.getLatLng(), layer.getLatLng()]);
    if (bounds && A.movementBounds && A.movementBounds[id]) bounds.extend(A.movementBounds[id]);  // its routes and area too
    if (!bounds && A.homeArea()) bounds = L.latLngBounds(A.homeArea());
    if (bounds && bounds.isValid()) A.fitArea(bounds, true);
  }

  /* Past the first or last slide, the neighbouring period: shown in this page, in a frame
   * (87-stage.js), so that full screen lasts; as a page of its own where no frame can. */
  function go(delta) {
    var next = at + delta;
    if (next >= slides() || next < 0) {
      if (A.stage && A.stage.cross(delta > 0 ? 1 : -1)) return;
      if (next >= slides() && A.page.next) leaveFor(A.page.next, "");
      if (next < 0 && A.page.previous) leaveFor(A.page.previous, "last");
      return;
    }
    at = next;
    render();
  }

  /* The slide in the address: a reload (F5, a clicker's "start" key) goes on from it. A
   * period shown in a presentation's frame tells the page around it, whose address it is. */
  function remember() {
    if (A.stage && A.stage.remember(at + 1)) return;
    A.setAddress("?present=" + (at + 1) + window.location.hash);
  }

  /* The page's address, relative to itself (an address from its path would name another
   * host where a server merges a path's leading slashes): a refusal changes nothing else. */
  A.setAddress = function (relative) {
    if (!window.history || !history.replaceState) return;
    try { history.replaceState(null, "", relative); } catch (err) { /* the slide goes on without it */ }
  };

  /* Where the presentation comes into this period: its first or last slide, or slide n. */
  A.presentAt = function (where) {
    if (!on) start();
    var number = typeof where === "number" && isFinite(where) ? Math.floor(where) : 1;
    at = where === "last" ? slides() - 1 : Math.min(Math.max(number - 1, 0), slides() - 1);
    unblank();
    render();
  };

  /* A short note on the slide (a period that cannot be shown). */
  A.presentNote = function (words) {
    if (!content || content.querySelector(".present-note")) return;
    content.appendChild(line("p", "present-note", words));
  };

  function wanted() {
    var found = /(?:^|[?&])present=(\d+)/.exec(window.location.search.slice(1));
    return found ? Math.min(Math.max(Number(found[1]) - 1, 0), slides() - 1) : -1;
  }

  function button(label, name, act) {
    var node = line("button", "present-control", label);
    node.type = "button";
    node.setAttribute("aria-label", name);
    node.title = name;
    node.addEventListener("click", function (event) { event.stopPropagation(); act(); });
    return node;
  }

  /* The controls a hand, a mouse or a whiteboard pen can use: they stay below the slide. */
  function controls() {
    var bar = document.createElement("nav");
    bar.className = "present-controls";
    bar.setAttribute("aria-label", A.t("Slides"));
    bar.appendChild(button("◀", A.t("Previous slide"), function () { go(-1); }));
    bar.appendChild(button("▶", A.t("Next slide"), function () { go(1); }));
    // In words: no symbol for it is in every school's fonts.
    if (document.documentElement.requestFullscreen) bar.appendChild(button(A.t("Full screen"), A.t("Full screen"), toggleFullScreen));
    bar.appendChild(button("✕", A.t("Leave the presentation"), stop));
    return bar;
  }

  function toggleFullScreen() {
    if (A.stage && A.stage.fullScreen()) return;  // a frame's: the page around it is full screen
    var root = document.documentElement;
    if (document.fullscreenElement) document.exitFullscreen().catch(function () {});
    else if (root.requestFullscreen) root.requestFullscreen().catch(function () { /* refused: the page fills the window */ });
  }

  /* A swipe across the slide turns it; a tap on its left or right third goes back or on
   * (a tap on a link, a button or a picture is theirs). */
  function startGestures() {
    var from = null;
    panel.addEventListener("pointerdown", function (event) {
      from = event.isPrimary ? { x: event.clientX, y: event.clientY } : null;
    });
    panel.addEventListener("pointercancel", function () { from = null; });
    panel.addEventListener("pointerup", function (event) {
      if (!from || !event.isPrimary) return;
      var dx = event.clientX - from.x, dy = event.clientY - from.y;
      from = null;
      if (Math.abs(dx) > SWIPE && Math.abs(dx) > 2 * Math.abs(dy)) { go(dx < 0 ? 1 : -1); return; }
      if (Math.abs(dx) > 10 || Math.abs(dy) > 10) return;  // a scroll of the slide's text
      if (event.target.closest("a, button, img, figure, select, input")) return;
      var box = panel.getBoundingClientRect();
      var where = (event.clientX - box.left) / box.width;
      if (where > 2 / 3) go(1);
      else if (where < 1 / 3) go(-1);
    });
  }

  /* B or . blacks the screen out, W or , whites it (as presentation programs do); any key
   * or a tap brings the slide back. */
  function blank(colour) {
    if (curtain) { unblank(); return; }
    curtain = document.createElement("div");
    curtain.className = "present-curtain present-curtain-" + colour;
    curtain.setAttribute("role", "button");
    curtain.setAttribute("aria-label", A.t("Show the slide again"));
    curtain.addEventListener("click", unblank);
    document.body.appendChild(curtain);
  }

  function unblank() {
    if (curtain) curtain.remove();
    curtain = null;
  }

  function leaveFor(url, enter) {
    try { sessionStorage.setItem(ENTER, enter); } catch (err) { /* storage off: it starts at the first slide */ }
    window.location.href = url + "?present";
  }

  function onKey(event) {
    if (!on || event.altKey || event.ctrlKey || event.metaKey) return;
    if (!isSlideKey(event.key)) return;
    event.preventDefault();
    event.stopImmediatePropagation();  // not also the page's own keys, nor a pan of the map
    if (A.stage && A.stage.forward(event.key)) return;  // another period's frame is over this one
    onSlideKey(event.key);
  }

  function isSlideKey(key) {
    return /^(PageDown|PageUp|ArrowRight|ArrowLeft|ArrowDown|ArrowUp| |b|B|\.|w|W|,|Escape)$/.test(key);
  }

  function onSlideKey(key) {
    var forward = key === "PageDown" || key === "ArrowRight" || key === " " || key === "ArrowDown";
    var back = key === "PageUp" || key === "ArrowLeft" || key === "ArrowUp";
    var dark = key === "b" || key === "B" || key === ".", light = key === "w" || key === "W" || key === ",";
    if (curtain && !dark && !light) { unblank(); return; }  // the first key only brings the slide back
    if (dark || light) blank(dark ? "black" : "white");
    else if (key === "Escape") stop();
    else go(forward ? 1 : -1);
  }

  A.presentKey = function (key) { if (on && isSlideKey(key)) onSlideKey(key); };
  A.toggleFullScreen = toggleFullScreen;

  function start(event) {
    if (on || !A.map) return;
    on = true;
    document.documentElement.classList.add("presenting");
    panel = document.createElement("aside");
    panel.className = "present-panel";
    panel.setAttribute("aria-label", A.t("Presentation"));
    content = document.createElement("div");
    content.className = "present-slide";
    panel.appendChild(content);
    panel.appendChild(controls());
    panel.appendChild(line("p", "present-keys", A.coarse && A.coarse()
      ? A.t("Swipe, or tap the slide's right or left side · ◀ ▶ · ✕ leaves")
      : A.t("Page Down, → or Space: next · Page Up or ←: back · B: black screen · Esc: leave")));
    document.body.appendChild(panel);
    showLegend();
    startGestures();
    var enter = "";
    try { enter = sessionStorage.getItem(ENTER) || ""; sessionStorage.removeItem(ENTER); } catch (err) { /* storage off */ }
    var resumed = wanted();
    at = resumed >= 0 ? resumed : enter === "last" ? slides() - 1 : 0;
    A.map.invalidateSize();
    render();
    if (A.stage) A.stage.ready();
    var root = document.documentElement;
    // Full screen only at the reader's request (a click): a page may not take it by itself.
    if (event && root.requestFullscreen && !document.fullscreenElement) root.requestFullscreen().catch(function () { /* refused: the page fills the window */ });
  }

  /* The page's legend on the map, folded by a tap; open on a wide screen, where it fits
   * beside the slide (a copy of the page's own legend, made from its template): what the
   * dots' and lines' colours mean, in type that reads from the back of the room. */
  function showLegend() {
    var legend = document.querySelector(".legend-panel .legend");
    if (!legend) return;
    var box = document.createElement("details");
    box.className = "present-legend";
    box.open = window.innerWidth > 900;
    box.appendChild(line("summary", "", A.t("Legend")));
    var copy = legend.cloneNode(true);
    // Not the places' symbols: on a slide the places are named on the map.
    copy.querySelectorAll('[data-section="Places"]').forEach(function (node) { node.remove(); });
    box.appendChild(copy);
    document.body.appendChild(box);
  }

  function stop() {
    if (A.stage && A.stage.leave()) return;  // a frame's: the page around it leaves
    on = false;
    document.documentElement.classList.remove("presenting");
    unblank();
    if (panel) panel.remove();
    panel = null;
    var legend = document.querySelector(".present-legend");
    if (legend) legend.remove();
    content = null;
    if (document.fullscreenElement && document.exitFullscreen) document.exitFullscreen().catch(function () {});
    A.setAddress((window.location.pathname.split("/").pop() || ".") + window.location.hash);
    if (A.map) A.map.invalidateSize();
  }

  A.present = start;

  A.starters.push(function startPresent() {
    if (A.page.kind !== "period") return;
    window.addEventListener("keydown", onKey, true);  // before the page's own keys
    var button = document.querySelector(".present-button");
    if (button) button.addEventListener("click", start);
    if (/(^|[?&])present(=|&|$)/.test(window.location.search.slice(1))) start();
  });
})(window.Atlas);
