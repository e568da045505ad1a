/* A lesson as slides (lessons/<id>.html?present, or its Present button): the title and
 * the text before the first heading are the first slide, then one slide a section
 * (each "## heading" and what follows it, its map large beside the text). Clicker and
 * keys: Page Down, → or Space the next slide, Page Up or ← the previous, Esc leaves.
 * The slides are the lesson's own elements, shown one group at a time: nothing is
 * copied, and no text becomes markup. */
(function () {
  "use strict";

  var main = document.querySelector("main.lesson");
  var button = document.querySelector(".lesson-present-button");
  if (!main) return;

  var slides = [];     // each a list of the lesson's elements
  var at = 0;
  var on = false;
  var progress = null;

  function group() {
    var current = [];
    slides = [current];
    Array.prototype.forEach.call(main.children, function (node) {
      if (node.tagName === "H2" && current.length) {
        current = [];
        slides.push(current);
      }
      current.push(node);
    });
  }

  function show() {
    slides.forEach(function (nodes, number) {
      nodes.forEach(function (node) { node.classList.toggle("slide-hidden", number !== at); });
    });
    var shown = slides[at];
    var hasMap = shown.some(function (node) { return node.classList.contains("lesson-map"); });
    main.classList.toggle("slide-with-map", hasMap);
    document.documentElement.classList.toggle("lesson-first-slide", at === 0);
    progress.textContent = "Slide " + (at + 1) + " of " + slides.length;
    main.scrollTop = 0;
    shrinkToFit();
    // Keys go to the slides, not to a map the reader clicked in the previous slide.
    if (document.activeElement && document.activeElement.tagName === "IFRAME") document.activeElement.blur();
    main.focus({ preventScroll: true });
  }

  /* A slide must fit: a clicker cannot scroll. Long text is set smaller, step by step,
   * down to a size still legible from the back of a classroom. */
  function shrinkToFit() {
    main.style.fontSize = "";
    var base = parseFloat(window.getComputedStyle(main).fontSize);
    var scale = 1;
    var least = window.innerWidth > 900 ? 0.62 : 0.94;  // a phone's slide scrolls rather than shrink past reading
    while (main.scrollHeight > main.clientHeight + 1 && scale > least) {
      scale -= 0.06;
      main.style.fontSize = (base * scale).toFixed(1) + "px";
    }
  }

  function go(delta) {
    var next = Math.max(0, Math.min(slides.length - 1, at + delta));
    if (next !== at) { at = next; show(); }
  }

  function onKey(event) {
    if (!on || event.altKey || event.ctrlKey || event.metaKey) return;
    var key = event.key;
    var forward = key === "PageDown" || key === "ArrowRight" || key === " " || key === "ArrowDown";
    var back = key === "PageUp" || key === "ArrowLeft" || key === "ArrowUp";
    if (!forward && !back && key !== "Escape") return;
    event.preventDefault();
    if (key === "Escape") stop();
    else go(forward ? 1 : -1);
  }

  function start(event) {
    if (on) return;
    on = true;
    group();
    at = 0;
    document.documentElement.classList.add("lesson-presenting");
    progress = document.createElement("p");
    progress.className = "present-progress lesson-progress";
    progress.setAttribute("aria-live", "polite");
    document.body.appendChild(progress);
    var keys = document.createElement("p");
    keys.className = "present-keys lesson-keys";
    keys.textContent = "Page Down, → or Space: next · Page Up or ←: back · Esc: leave";
    document.body.appendChild(keys);
    show();
    var root = document.documentElement;
    // Full screen only at the reader's request (a click): a page may not take it by itself.
    if (event && root.requestFullscreen && !document.fullscreenElement) root.requestFullscreen().catch(function () { /* refused: the page fills the window */ });
  }

  function stop() {
    on = false;
    document.documentElement.classList.remove("lesson-presenting", "lesson-first-slide");
    main.classList.remove("slide-with-map");
    main.style.fontSize = "";
    Array.prototype.forEach.call(main.querySelectorAll(".slide-hidden"), function (node) { node.classList.remove("slide-hidden"); });
    document.querySelectorAll(".lesson-progress, .lesson-keys").forEach(function (node) { node.remove(); });
    if (document.fullscreenElement && document.exitFullscreen) document.exitFullscreen().catch(function () {});
    if (window.history && history.replaceState) history.replaceState(null, "", window.location.pathname + window.location.hash);
  }

  window.addEventListener("keydown", onKey, true);
  if (button) {
    button.hidden = false;
    button.addEventListener("click", start);
  }
  if (/(^|[?&])present(=|&|$)/.test(window.location.search.slice(1))) start();
})();
