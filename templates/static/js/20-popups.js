/* Popups: compact (the long text stays in the list beside the map), never taller than
 * the map, and built from text nodes. */
(function (A) {
  "use strict";
  var el = A.element;

  /* (Asked for on their own: a message inside another's arguments is not found by the
   * catalogue's extraction, and would go untranslated.) */
  function comma() { return A.t(", "); }
  function then() { return A.t(", then "); }

  /* The sources, folded: one line until the reader opens them (the list has them too). */
  function sourceList(sources) {
    var box = el("details", "popup-sources-box");
    box.appendChild(el("summary", null, sources.length === 1 ? A.t("Source") : A.t("Sources (%(num)d)", { num: sources.length })));
    var list = el("ul", "popup-sources");
    box.appendChild(list);
    (sources || []).forEach(function (source) {
      var item = el("li");
      var url = A.safeUrl(source.url);
      if (url) {
        var link = el("a", null, source.label);
        link.href = url;
        link.target = "_blank";
        link.rel = "noopener";
        item.appendChild(link);
      } else {
        item.appendChild(el("cite", null, source.label));
      }
      list.appendChild(item);
    });
    return box;
  }

  /* How much of a summary a popup holds: less in a small map. */
  function room() {
    var size = A.map ? A.map.getSize() : L.point(640, 480);
    return size.y < 480 || size.x < 480 ? 110 : 200;
  }

  /* The first sentence or so: a popup is a pointer to the text, not the text. */
  function brief(text, limit) {
    if (!text || text.length <= limit) return text;
    var cut = text.slice(0, limit);
    var stop = cut.search(/[.!?]\s[^.!?]*$/);
    return (stop > limit / 3 ? cut.slice(0, stop + 1) : cut.replace(/\s+\S*$/, "")) + " …";
  }

  /* A media item's address from this page: the build wrote it from the site's top
   * folder (places) or from this page (events); an inline one is a data: URI. */
  A.mediaUrl = function (url, fromTop) {
    if (typeof url !== "string") return null;
    if (/^data:image\/webp;base64,/.test(url)) return url;
    if (/^[a-z][a-z0-9+.-]*:/i.test(url) || /^\/\//.test(url)) return null;  // only the build's own files
    return fromTop ? (A.page.root || "") + url : url;
  };

  /* The first image (else the first quotation) of an event or a place, small. A
   * single-file page names an event's image "list": its list holds it, once. */
  function mediaPreview(media, fromTop, id) {
    var image = null, quote = null;
    (media || []).forEach(function (m) {
      if (m.kind === "image" && !image) image = m;
      if (m.kind === "quote" && !quote) quote = m;
    });
    if (image) {
      var listed = image.src === "list" ? document.querySelector('#event-' + id + ' .media-image img') : null;
      var src = listed ? listed.currentSrc || listed.src : A.mediaUrl(image.src, fromTop);
      if (!src) return null;
      var figure = el("figure", "popup-media");
      var img = el("img");
      img.src = src;
      img.alt = image.alt || "";
      if (image.lang) img.lang = image.lang;
      img.width = 240;
      img.height = Math.round(240 * (image.height || 3) / (image.width || 4));
      figure.appendChild(img);
      if (image.credit) figure.appendChild(el("figcaption", null, image.credit));
      return figure;
    }
    if (quote) {
      var said = el("blockquote", "popup-quote", "“" + brief(quote.quote, 140) + "”");
      if (quote.lang) said.lang = quote.lang;
      if (quote.source) said.appendChild(el("cite", null, quote.source));
      return said;
    }
    return null;
  }

  function placePopup(p) {
    var box = el("div", "popup popup-place");
    box.appendChild(el("p", "popup-kind", p.kind_label));
    box.appendChild(el("h3", "popup-title", p.name));
    if (p.change_text) box.appendChild(el("p", "popup-change", p.change_text));
    if (p.roles && p.roles.length) box.appendChild(el("p", "popup-roles", p.roles.join("; ")));
    if (p.others && p.others.length) box.appendChild(el("p", "popup-others", A.t("Also: %(names)s", { names: p.others.join(comma()) })));
    // A gazetteer's index: every name the place had, with its years (no period picks one).
    if (p.history && p.history.length) box.appendChild(el("p", "popup-history", A.t("Names: %(names)s", { names: p.history.join(" · ") })));
    if (p.existed) box.appendChild(el("p", "popup-existed", A.t("Existed: %(dates)s", { dates: p.existed })));
    if (p.outline) box.appendChild(el("p", "popup-existed", A.t("This outline: %(dates)s", { dates: p.outline })));
    if (p.control_history && p.control_history.length) {
      box.appendChild(el("p", "popup-control", A.t("Control: %(holders)s", { holders: p.control_history.join(then()) })));
    }
    if (p.description) box.appendChild(el("p", "popup-summary", brief(p.description, room())));
    var preview = mediaPreview(p.media, true);
    if (preview) box.appendChild(preview);
    if (p.sources && p.sources.length) box.appendChild(sourceList(p.sources));
    return box;
  }

  function eventPopup(p) {
    var box = el("div", "popup popup-event");
    box.appendChild(el("p", "popup-date", p.date));
    box.appendChild(el("h3", "popup-title", p.title));
    if (p.lang) box.lang = p.lang;  // (its title and summary in the main language: no translation)
    /* The category in words: its colour alone may not tell it on a projector or to a
       colour-blind reader. */
    if (p.category_label) box.appendChild(el("p", "popup-category", p.category_label));
    if (p.places && p.places.length) box.appendChild(el("p", "popup-places", p.places.join(", ")));
    if (p.summary) box.appendChild(el("p", "popup-summary", brief(p.summary, room())));
    if (p.routes && p.routes.length) {
      var labels = p.routes.map(function (r) { return r.label; }).filter(Boolean);
      var routes = A.tn("One route on the map", "%(num)d routes on the map", p.routes.length);
      box.appendChild(el("p", "popup-routes", labels.length ? A.t("%(routes)s: %(labels)s", { routes: routes, labels: brief(labels.join("; "), 120) }) : routes));
    }
    var preview = mediaPreview(p.media, false, p.id);
    if (preview) box.appendChild(preview);
    if (document.getElementById("event-" + p.id)) {
      var more = el("a", "popup-more", A.t("Read it all in the list"));
      more.href = "#event-" + p.id;
      more.addEventListener("click", function (e) {
        e.preventDefault();
        A.revealInList(p.id);
      });
      box.appendChild(more);
    } else if (p.period) {
      // The index's overview: each event leads to its period's page.
      var period = el("a", "popup-more", A.t("Open %(title)s", { title: p.period_title }));
      period.href = "periods/" + encodeURIComponent(p.period) + ".html#" + encodeURIComponent(p.id);
      box.appendChild(period);
    } else if (A.page.kind === "embed" && A.page.period) {
      // A map alone (an embed, a lesson's frame): the whole text is on the period's page.
      var page = el("a", "popup-more", A.t("Read it all on the period's page"));
      page.href = "../periods/" + encodeURIComponent(A.page.period) + ".html#" + encodeURIComponent(p.id);
      // In a new tab: a learning platform's frame may be sandboxed (its own tab then stays
      // dead), and leaving it would replace the platform's page.
      page.target = "_blank";
      page.rel = "noopener";
      box.appendChild(page);
    }
    if (p.sources && p.sources.length) box.appendChild(sourceList(p.sources));
    return box;
  }

  /* Options for every popup: it always fits inside the map. */
  A.popupOptions = function () {
    var size = A.map ? A.map.getSize() : L.point(640, 480);
    return {
      maxWidth: Math.max(160, Math.min(300, size.x - 70, size.x * 0.55)),
      minWidth: Math.min(200, size.x - 90),
      maxHeight: Math.max(110, size.y - 110),
      // Clear of the controls: the zoom buttons, and an embed's caption along the top.
      autoPanPaddingTopLeft: [16, A.page && A.page.kind === "embed" ? 64 : 48],
      autoPanPaddingBottomRight: [16, 16]
    };
  };

  /* Pan the map so that an open popup lies inside it, clear of the same margins as
   * Leaflet's own autoPan (which runs once, when the popup opens). */
  A.keepPopupInside = function (popup) {
    var element = popup && popup.getElement && popup.getElement();
    if (!element || !A.map || !A.map.hasLayer(popup)) return;
    var box = A.map.getContainer().getBoundingClientRect(), r = element.getBoundingClientRect();
    var o = A.popupOptions(), tl = o.autoPanPaddingTopLeft, br = o.autoPanPaddingBottomRight;
    // Past the top or left: brought in; past the bottom or right: brought in as far as
    // the top or left allows (a popup taller than the map keeps its top in view).
    var dy = Math.max(0, r.bottom - box.bottom + br[1]), top = r.top - box.top - tl[1];
    dy = top < 0 ? top : Math.min(dy, top);
    var dx = Math.max(0, r.right - box.right + br[0]), left = r.left - box.left - tl[0];
    dx = left < 0 ? left : Math.min(dx, left);
    if (dx || dy) A.map.panBy([Math.round(dx), Math.round(dy)], { animate: false });
  };

  /* A popup's image comes after the popup has opened and been panned into view: once it
   * has come, the popup is laid out again (taller) and panned again, so its top is not
   * cut off. */
  A.starters.push(function startPopupImages() {
    if (!A.map) return;
    A.map.on("popupopen", function (e) {
      var images = e.popup.getElement() ? e.popup.getElement().querySelectorAll("img") : [];
      Array.prototype.forEach.call(images, function (img) {
        if (img.complete) return;
        img.addEventListener("load", function () {
          e.popup.update();
          A.keepPopupInside(e.popup);
        }, { once: true });
      });
    });
  });

  A.popupFor = function (p) {
    return p.type === "event" ? eventPopup(p) : placePopup(p);
  };

  /* A popup opened from the keyboard (Enter on an event's dot, a choice in the places
   * list) comes next for the Tab key, though Leaflet puts it after every dot: Tab from
   * what opened it goes into it, Tab from its last link on to the stop after that (and
   * Shift+Tab the same way back); Escape or its close button give the focus back. */
  var opener = null;

  function stops(root) {
    return Array.prototype.filter.call(root.querySelectorAll("a[href], button, select, summary, [tabindex]"),
      function (node) { return node.tabIndex >= 0 && !node.disabled && node.getClientRects().length > 0; });
  }

  function openPopup() {
    var popup = document.querySelector(".leaflet-popup");
    return popup && popup.style.opacity !== "0" ? popup : null;
  }

  function onKey(event) {
    if (event.key !== "Tab" || !opener) return;
    var popup = openPopup();
    if (!popup) return;
    var inside = stops(popup);
    if (!inside.length) return;
    var page = stops(document).filter(function (node) { return !popup.contains(node); });
    var after = page[page.indexOf(opener) + 1] || null;
    var target = null;
    if (event.shiftKey) {
      if (event.target === inside[0]) target = opener;
      else if (event.target === after) target = inside[inside.length - 1];
    } else if (event.target === opener) {
      target = inside[0];
    } else if (event.target === inside[inside.length - 1]) {
      target = after;
    }
    if (!target) return;
    event.preventDefault();
    target.focus();
  }

  A.starters.push(function startPopupKeys() {
    if (!A.map) return;
    var box = A.map.getContainer();
    A.map.on("popupopen", function () {
      var active = document.activeElement;
      opener = active && box.contains(active) && active !== box && active.matches(":focus-visible") ? active : null;
    });
    A.map.on("popupclose", function (e) {
      var popup = e.popup.getElement();
      if (opener && popup && popup.contains(document.activeElement) && document.contains(opener)) opener.focus();
      opener = null;
    });
    document.addEventListener("keydown", onKey);
  });
})(window.Atlas);
