/* The page around the map: keys, the changes panel, the embed code, deep links. */
(function (A) {
  "use strict";

  function isTyping(target) {
    if (!target || !target.tagName) return false;
    return target.isContentEditable || /^(INPUT|TEXTAREA|SELECT|BUTTON)$/.test(target.tagName) ||
      (target.closest && target.closest(".leaflet-container") !== null);
  }

  function onKey(event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey || isTyping(event.target)) return;
    var target = event.key === "ArrowLeft" ? A.page.previous : event.key === "ArrowRight" ? A.page.next : null;
    if (target) {
      event.preventDefault();
      window.location.href = target;
    }
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

  /* "Changes since the previous period": each entry shows its place on the map. */
  function startChanges() {
    var panel = document.querySelector(".changes");
    if (!panel) return;
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
    if (wanted && A.layersById[wanted]) A.show(wanted, false);
  };

  A.starters.push(function startPage() {
    document.addEventListener("keydown", onKey);
    startSnippet();
    startChanges();
    window.addEventListener("hashchange", A.showHash);
  });
})(window.Atlas);
