/* The page around the map: keys, the changes panel, the embed code, deep links. */
(function (A) {
  "use strict";

  /* Where a key belongs to the element it is typed in: text fields, lists, and the map
   * when it was reached with the keyboard (its arrows pan it). */
  var tabbing = false;  // whether the reader last moved with Tab (not with a pointer)

  function ownsKeys(target, key) {
    if (!target || !target.tagName) return false;
    // A list chosen with a pointer (the player's pace) keeps no keys: a clicker's Page Down
    // and → after it step the slides, not the list.
    if (target.tagName === "SELECT" && !tabbing && key !== "ArrowUp" && key !== "ArrowDown") return false;
    if (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) return true;
    // Space presses it (a map's event dot is a button too).
    if (key === " " && (/^(BUTTON|A|SUMMARY)$/.test(target.tagName) || target.getAttribute("role") === "button")) return true;
    var map = target.closest && target.closest(".leaflet-container");
    return !!map && key.indexOf("Arrow") === 0 && tabbing;
  }

  /* Leave for another period, keeping the reader's view for it. */
  A.goTo = function (url, enterAt) {
    if (!url || A.alone) return false;  // a page sent alone: its neighbours are not there (88-alone.js)
    try {
      sessionStorage.setItem("atlas-step", JSON.stringify({ enterAt: enterAt || "", kind: A.page.kind }));
    } catch (err) { /* storage off: the next page fits its own view */ }
    if (A.saveView) A.saveView();
    window.location.href = url;
    return true;
  };

  /* A presentation clicker sends Page Down and Page Up: they step through the period's
   * events like slides, then on to the next or previous period. */
  function slide(delta) {
    if (A.stop) A.stop();
    if (A.order.length && A.step && (delta > 0 ? A.current < A.order.length - 1 : A.current > 0)) {
      A.step(delta);
      return;
    }
    if (delta > 0) A.goTo(A.page.next, "first");
    else A.goTo(A.page.previous, "last");
  }

  function onKey(event) {
    if (event.key === "Tab") tabbing = true;
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    var key = event.key;
    if (key === "Escape") {
      if (A.map) A.map.closePopup();
      if (A.stop) A.stop();
      return;
    }
    if (event.shiftKey || ownsKeys(event.target, key)) return;
    if (key === "ArrowLeft" || key === "ArrowRight") {
      if (A.goTo(key === "ArrowLeft" ? A.page.previous : A.page.next)) {
        event.preventDefault();
        event.stopPropagation();  // not also a pan of the map
      }
    } else if (key === "PageDown" || key === "PageUp" || key === " ") {
      if (A.page.kind !== "period" && A.page.kind !== "embed") return;
      event.preventDefault();
      slide(key === "PageUp" ? -1 : 1);
    }
  }

  /* Arriving by Page Up, the previous period opens on its last event. */
  function enterWhereTheReaderCameFrom() {
    if (A.arrival && A.arrival.enterAt === "last" && A.order.length) A.show(A.order[A.order.length - 1], false);
  }

  function startSnippet() {
    var box = document.querySelector(".embed-snippet textarea");
    var button = document.querySelector(".embed-snippet button");
    if (!box || !button) return;
    if (!box.hasAttribute("data-published")) {
      // No public address: the code points at this page's own copy of the map (escaped for
      // the attribute it lands in, in the page the code is pasted into); from file:// that
      // works nowhere else, and the note says how to publish.
      var src = new URL(box.getAttribute("data-src"), window.location.href).href
        .replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
      box.value = box.value.replace('src="' + box.getAttribute("data-src") + '"', 'src="' + src + '"');
      // From disk, or from `atlas serve` on this computer (127.0.0.1, localhost), the code
      // points at an address no one else can reach: the note says so, and how to publish.
      var note = document.querySelector(".embed-note");
      var local = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/.test(window.location.hostname);
      if (note && (window.location.protocol === "file:" || local)) note.hidden = false;
      var where = note && note.querySelector(".embed-where code");
      if (where && local) where.textContent = window.location.host;
    }
    button.addEventListener("click", function () {
      // The selection is the fallback: the reader can press Ctrl+C if no copy works.
      box.select();
      var copied = false;
      try { copied = document.execCommand("copy"); } catch (err) { copied = false; }
      if (copied) { button.textContent = A.t("Copied"); return; }
      var manual = function () { button.textContent = A.t("Press Ctrl+C to copy"); };
      if (navigator.clipboard) {
        navigator.clipboard.writeText(box.value).then(function () { button.textContent = A.t("Copied"); }, manual);
      } else {
        manual();
      }
    });
  }

  /* On a phone the timeline scrolls sideways: start it at the current period. */
  function scrollTimelineToCurrent() {
    var strip = document.querySelector(".timeline ol");
    var current = document.querySelector(".timeline a.current");
    if (!strip || !current || strip.scrollWidth <= strip.clientWidth) return;
    var cell = current.parentNode;
    strip.scrollLeft = cell.offsetLeft - strip.offsetLeft - (strip.clientWidth - cell.offsetWidth) / 2;
  }

  /* A link out of an embed to another site (the map's credits, a source) opens in a new tab: inside a
   * learning platform's frame it would replace the map, in a sandboxed one it would fail. */
  function linksOutOfEmbeds() {
    if (A.page.kind !== "embed") return;
    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("a[href]");
      // (The embed's own ◀ ▶ step it in place; its links to the atlas's pages carry their target.)
      if (!link || link.target || !/^https?:/i.test(link.getAttribute("href") || "")) return;
      link.target = "_blank";
      link.rel = "noopener";
    }, true);
  }

  /* "Changes since the previous period": each entry shows its place on the map; on paper
   * the folded rest of a long list is printed too. */
  function startChanges() {
    var panel = document.querySelector(".changes");
    if (!panel) return;
    var folded = [];
    window.addEventListener("beforeprint", function () {
      folded = Array.prototype.filter.call(panel.querySelectorAll("details"), function (box) { return !box.open; });
      folded.forEach(function (box) { box.open = true; });
    });
    window.addEventListener("afterprint", function () { folded.forEach(function (box) { box.open = false; }); });
    panel.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-feature]");
      if (button) A.show(button.getAttribute("data-feature"), true);
    });
  }

  function wantedEvent() {
    // A single-file lesson's iframe has no address of its own: its event comes in the page data.
    var fragment = window.location.hash.slice(1);
    try { fragment = decodeURIComponent(fragment); } catch (err) { fragment = ""; }  // a broken %-escape
    return fragment || A.page.open || "";
  }

  A.showHash = function () {
    var wanted = wantedEvent();
    var old = document.querySelector(".unknown-event");
    if (old) old.remove();
    if (wanted && A.layersById[wanted]) A.show(wanted, false);
    else {
      if (wanted && !document.getElementById(wanted)) unknownEvent(wanted);
      enterWhereTheReaderCameFrom();
    }
  };

  /* A link to an event this page does not have (misspelt, or of another period): said
   * over the map, in words, rather than opening as if nothing were asked. */
  function unknownEvent(wanted) {
    var frame = document.querySelector(".map-frame, .embed-map");
    if (!frame) return;
    var note = A.element("p", "unknown-event", A.t("This link asks for an event “%(id)s” that is not on this map: the " +
      "address may be misspelt, or the event belongs to another period.", { id: wanted.slice(0, 80) }) + " ");
    note.setAttribute("role", "status");
    var close = A.element("button", "unknown-event-close", A.t("Close"));
    close.type = "button";
    close.addEventListener("click", function () { note.remove(); });
    note.appendChild(close);
    frame.appendChild(note);
  }

  A.starters.push(function startPage() {
    document.addEventListener("keydown", onKey, true);  // before the map's own handler
    document.addEventListener("pointerdown", function () { tabbing = false; }, true);
    scrollTimelineToCurrent();
    document.querySelectorAll("a[rel=prev], a[rel=next]").forEach(function (link) {
      link.addEventListener("click", function () { if (A.saveView) A.saveView(); try {
        sessionStorage.setItem("atlas-step", JSON.stringify({ enterAt: "", kind: A.page.kind }));
      } catch (err) { /* storage off */ } });
    });
    startSnippet();
    startChanges();
    linksOutOfEmbeds();
    window.addEventListener("hashchange", A.showHash);
  });
})(window.Atlas);
