/* Popups: compact (the long text stays in the list beside the map), never taller than
 * the map, and built from text nodes. */
(function (A) {
  "use strict";
  var el = A.element;

  function sourceList(sources) {
    var list = el("ul", "popup-sources");
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
    return list;
  }

  /* The first sentence or so: a popup is a pointer to the text, not the text. */
  function brief(text, limit) {
    if (!text || text.length <= limit) return text;
    var cut = text.slice(0, limit);
    var stop = cut.search(/[.!?]\s[^.!?]*$/);
    return (stop > limit / 3 ? cut.slice(0, stop + 1) : cut.replace(/\s+\S*$/, "")) + " …";
  }

  function placePopup(p) {
    var box = el("div", "popup popup-place");
    box.appendChild(el("p", "popup-kind", p.kind_label));
    box.appendChild(el("h3", "popup-title", p.name));
    if (p.change_text) box.appendChild(el("p", "popup-change", p.change_text));
    if (p.others && p.others.length) box.appendChild(el("p", "popup-others", "Also: " + p.others.join(", ")));
    if (p.existed) box.appendChild(el("p", "popup-existed", "Existed: " + p.existed));
    if (p.control_history && p.control_history.length) {
      box.appendChild(el("p", "popup-control", "Control: " + p.control_history.join(", then ")));
    }
    if (p.description) box.appendChild(el("p", "popup-summary", brief(p.description, 220)));
    if (p.sources && p.sources.length) box.appendChild(sourceList(p.sources));
    return box;
  }

  function eventPopup(p) {
    var box = el("div", "popup popup-event");
    box.appendChild(el("p", "popup-date", p.date));
    box.appendChild(el("h3", "popup-title", p.title));
    if (p.places && p.places.length) box.appendChild(el("p", "popup-places", p.places.join(", ")));
    // An embed has no list beside it: there the popup carries the whole text.
    var full = A.page.kind !== "period";
    if (p.summary) box.appendChild(el("p", "popup-summary", full ? p.summary : brief(p.summary, 200)));
    if (!full && document.getElementById("event-" + p.id)) {
      var more = el("a", "popup-more", "Read it all in the list");
      more.href = "#event-" + p.id;
      more.addEventListener("click", function (e) {
        e.preventDefault();
        A.revealInList(p.id);
      });
      box.appendChild(more);
    }
    if (p.sources && p.sources.length) box.appendChild(sourceList(p.sources));
    return box;
  }

  /* Options for every popup: it always fits inside the map. */
  A.popupOptions = function () {
    var size = A.map ? A.map.getSize() : L.point(640, 480);
    return {
      maxWidth: Math.max(160, Math.min(300, size.x - 70)),
      minWidth: Math.min(200, size.x - 90),
      maxHeight: Math.max(110, size.y - 110),
      autoPanPaddingTopLeft: [16, 48],
      autoPanPaddingBottomRight: [16, 16]
    };
  };

  A.popupFor = function (p) {
    return p.type === "event" ? eventPopup(p) : placePopup(p);
  };
})(window.Atlas);
