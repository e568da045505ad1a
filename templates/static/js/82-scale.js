/* "Large text": the projector scale as a page option (Present has it by itself). The
 * choice is kept for the atlas's other pages (localStorage), and `?large` in the address
 * turns it on for a link a teacher opens on the classroom's screen. */
(function (A) {
  "use strict";

  var KEY = "atlas-large-text";

  function set(on, button) {
    document.documentElement.classList.toggle("large-text", on);
    if (button) button.setAttribute("aria-pressed", on ? "true" : "false");
    try { if (on) localStorage.setItem(KEY, "1"); else localStorage.removeItem(KEY); } catch (err) { /* storage off */ }
    if (A.map) A.map.invalidateSize();
    if (A.layoutLabels) A.layoutLabels();  // the names placed again at their new size
  }

  A.starters.push(function startScale() {
    var button = document.querySelector(".scale-button");
    var stored = false;
    try { stored = localStorage.getItem(KEY) === "1"; } catch (err) { stored = false; }
    var asked = /(^|[?&])large(=|&|$)/.test(window.location.search.slice(1));
    if (stored || asked) set(true, button);
    if (button) button.addEventListener("click", function () {
      set(!document.documentElement.classList.contains("large-text"), button);
    });
  });
})(window.Atlas);
