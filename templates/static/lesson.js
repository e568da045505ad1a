/* A lesson page: its maps made ready for paper, and the lesson as slides.
 *
 * Paper: a print cannot wait for the network, so the maps further down load once the page
 * has (not when scrolled to), each drawn for paper as it comes; until every map has said
 * it is drawn (75-lesson-map.js), a printout says that some were still loading.
 *
 * Slides (lessons/<id>.html?present, or its Present button): the title and the text before
 * the first heading are the first slide, then one slide a section (each "## heading" and
 * what follows it, its map large beside the text). As the period's Present (85-present.js):
 * Page Down, → or Space the next slide, Page Up or ← the previous, B or . a black screen
 * (W or , a white one), Esc leaves; without keys, the ◀ ▶ Full screen ✕ buttons, a swipe
 * across the text, or a tap on its left or right side. The slide is in the address
 * (?present=3), so a reload goes on from it. The slides are the lesson's own elements,
 * shown one group at a time: nothing is copied, and no text becomes markup. */
(function () {
  "use strict";

  /* The interface's words in the page's language (the page's #lesson-words, made by
   * atlas/site/i18n.py), as 10-core.js's A.t: the message itself when there is none. */
  var lessonWords = {};
  try {
    var wordsNode = document.getElementById("lesson-words");
    lessonWords = (wordsNode && JSON.parse(wordsNode.textContent).messages) || {};
  } catch (err) { lessonWords = {}; }
  function t(message, values) {
    var found = typeof lessonWords[message] === "string" ? lessonWords[message] : message;
    return found.replace(/%\((\w+)\)[sd]/g, function (whole, name) {
      return values && Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
    });
  }

  /* The language switch keeps the slide the reader is on (?present=3). */
  document.addEventListener("click", function (event) {
    var link = event.target && event.target.closest && event.target.closest("a[data-keep-place]");
    if (link) link.href = link.href.split(/[?#]/)[0] + window.location.search + window.location.hash;
  });

  var main = document.querySelector("main.lesson");
  var button = document.querySelector(".lesson-present-button");
  var root = document.documentElement;
  if (!main) return;

  var slides = [];     // each a list of the lesson's elements
  var at = 0;
  var on = false;
  var bar = null;      // progress, controls and keys, along the bottom
  var progress = null;
  var curtain = null;  // a black or white screen hiding everything
  var SWIPE = 50;      // px across, more than down, that make a swipe

  function element(tag, className, text) {
    var node = document.createElement(tag);
    node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  /* ---- Paper ---- */

  function startPaper() {
    var frames = Array.prototype.slice.call(main.querySelectorAll(".lesson-map iframe"));
    if (!frames.length) { root.setAttribute("data-maps-ready", ""); return; }
    var waiting = element("p", "lesson-print-wait", t("Some of this lesson's maps had not finished loading when it " +
                          "was printed: wait a moment, then print it again."));
    main.insertBefore(waiting, main.firstChild);
    window.addEventListener("message", function (event) {
      if (!event.data || event.data.atlas !== "map-ready") return;
      frames.forEach(function (frame) {
        if (frame.contentWindow === event.source) frame.setAttribute("data-map-ready", "");
      });
      if (frames.every(function (frame) { return frame.hasAttribute("data-map-ready"); })) {
        waiting.remove();
        root.setAttribute("data-maps-ready", "");
      }
    });
    // A map drawn before this listened is asked again.
    frames.forEach(function (frame) {
      if (frame.contentWindow) frame.contentWindow.postMessage({ atlas: "map-ready?" }, "*");
    });
    var eager = function () { frames.forEach(function (frame) { frame.loading = "eager"; }); };
    if (document.readyState === "complete") eager(); else window.addEventListener("load", eager);
  }

  /* ---- Slides ---- */

  function group() {
    var current = [];
    slides = [current];
    Array.prototype.forEach.call(main.children, function (node) {
      if (node.classList.contains("lesson-print-wait")) return;
      if (node.tagName === "H2" && current.length) {
        current = [];
        slides.push(current);
      }
      current.push(node);
    });
  }

  function hasMap(node) {
    return node.classList.contains("lesson-map") || !!node.querySelector(".lesson-map");
  }

  function show() {
    slides.forEach(function (nodes, number) {
      nodes.forEach(function (node) { node.classList.toggle("slide-hidden", number !== at); });
    });
    main.classList.toggle("slide-with-map", slides[at].some(hasMap));
    root.classList.toggle("lesson-first-slide", at === 0);
    progress.textContent = t("Slide %(num)d of %(all)d", { num: at + 1, all: slides.length });
    main.scrollTop = 0;
    remember();
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

  /* The slide in the address: a reload (F5, a clicker's "start" key) goes on from it. */
  function remember() {
    setAddress("?present=" + (at + 1) + window.location.hash);
  }

  function wanted() {
    var found = /(?:^|[?&])present=(\d+)/.exec(window.location.search.slice(1));
    return found ? Math.min(Math.max(Number(found[1]) - 1, 0), slides.length - 1) : 0;
  }

  function control(label, name, act) {
    var node = element("button", "present-control", label);
    node.type = "button";
    node.setAttribute("aria-label", name);
    node.title = name;
    node.addEventListener("click", function (event) { event.stopPropagation(); act(); });
    return node;
  }

  /* Progress, the controls a hand, a mouse or a whiteboard pen can use, and the keys. */
  function makeBar() {
    bar = element("div", "lesson-bar");
    progress = element("p", "present-progress lesson-progress");
    progress.setAttribute("aria-live", "polite");
    bar.appendChild(progress);
    var controls = element("nav", "present-controls lesson-controls");
    controls.setAttribute("aria-label", t("Slides"));
    controls.appendChild(control("◀", t("Previous slide"), function () { go(-1); }));
    controls.appendChild(control("▶", t("Next slide"), function () { go(1); }));
    // In words: no symbol for it is in every school's fonts.
    if (root.requestFullscreen) controls.appendChild(control(t("Full screen"), t("Full screen"), toggleFullScreen));
    controls.appendChild(control("✕", t("Leave the presentation"), stop));
    bar.appendChild(controls);
    var coarse = window.matchMedia && window.matchMedia("(pointer: coarse)").matches;
    bar.appendChild(element("p", "present-keys lesson-keys", coarse
      ? t("Swipe, or tap the slide's right or left side · ◀ ▶ · ✕ leaves")
      : t("Page Down, → or Space: next · Page Up or ←: back · B: black screen · Esc: leave")));
    document.body.appendChild(bar);
  }

  function toggleFullScreen() {
    if (document.fullscreenElement) document.exitFullscreen().catch(function () {});
    else if (root.requestFullscreen) root.requestFullscreen().catch(function () { /* refused: the page fills the window */ });
  }

  /* A swipe across the slide's text turns it; a tap on its left or right third goes back
   * or on (a tap on a link, a button, a picture or the map is theirs: the map is a frame,
   * whose touches never come here). */
  var from = null;
  function onPointerDown(event) {
    from = on && event.isPrimary ? { x: event.clientX, y: event.clientY } : null;
  }

  function onPointerUp(event) {
    if (!from || !event.isPrimary) return;
    var dx = event.clientX - from.x, dy = event.clientY - from.y;
    from = null;
    if (Math.abs(dx) > SWIPE && Math.abs(dx) > 2 * Math.abs(dy)) { go(dx < 0 ? 1 : -1); return; }
    if (Math.abs(dx) > 10 || Math.abs(dy) > 10) return;  // a scroll of the slide's text
    if (event.target.closest("a, button, img, figure, summary, input")) return;
    var box = main.getBoundingClientRect();
    var map = main.classList.contains("slide-with-map") && window.innerWidth > 900
      ? main.querySelector(".lesson-map:not(.slide-hidden), .lesson-task:not(.slide-hidden) .lesson-map") : null;
    var right = map ? map.getBoundingClientRect().left : box.right;  // the text's column, beside the map
    var where = (event.clientX - box.left) / Math.max(1, right - box.left);
    if (where > 2 / 3) go(1);
    else if (where < 1 / 3) go(-1);
  }

  /* B or . blacks the screen out, W or , whites it (as presentation programs do); any key
   * or a tap brings the slide back. */
  function blank(colour) {
    if (curtain) { unblank(); return; }
    curtain = element("div", "present-curtain present-curtain-" + colour);
    curtain.setAttribute("role", "button");
    curtain.setAttribute("aria-label", t("Show the slide again"));
    curtain.addEventListener("click", unblank);
    document.body.appendChild(curtain);
  }

  function unblank() {
    if (curtain) curtain.remove();
    curtain = null;
  }

  function onKey(event) {
    if (!on || event.altKey || event.ctrlKey || event.metaKey) return;
    var key = event.key;
    var forward = key === "PageDown" || key === "ArrowRight" || key === " " || key === "ArrowDown";
    var back = key === "PageUp" || key === "ArrowLeft" || key === "ArrowUp";
    var dark = key === "b" || key === "B" || key === ".", light = key === "w" || key === "W" || key === ",";
    if (!forward && !back && !dark && !light && key !== "Escape") return;
    if ((key === " " || key === "Enter") && event.target.closest && event.target.closest("button, a, summary")) return;
    event.preventDefault();
    if (curtain && !dark && !light) { unblank(); return; }  // the first key only brings the slide back
    if (dark || light) blank(dark ? "black" : "white");
    else if (key === "Escape") stop();
    else go(forward ? 1 : -1);
  }

  function start(event) {
    if (on) return;
    on = true;
    group();
    root.classList.add("lesson-presenting");
    makeBar();
    at = wanted();
    show();
    // Full screen only at the reader's request (a click): a page may not take it by itself.
    if (event && root.requestFullscreen && !document.fullscreenElement) root.requestFullscreen().catch(function () { /* refused: the page fills the window */ });
  }

  function stop() {
    on = false;
    unblank();
    root.classList.remove("lesson-presenting", "lesson-first-slide");
    main.classList.remove("slide-with-map");
    main.style.fontSize = "";
    Array.prototype.forEach.call(main.querySelectorAll(".slide-hidden"), function (node) { node.classList.remove("slide-hidden"); });
    if (bar) bar.remove();
    bar = progress = null;
    if (document.fullscreenElement && document.exitFullscreen) document.exitFullscreen().catch(function () {});
    setAddress((window.location.pathname.split("/").pop() || ".") + window.location.hash);
  }

  /* The address, relative to the page (one made from its path would name another host
   * where a server merges a path's leading slashes). */
  function setAddress(relative) {
    if (!window.history || !history.replaceState) return;
    try { history.replaceState(null, "", relative); } catch (err) { /* the lesson goes on without it */ }
  }

  /* A single-file lesson sent on its own (an attachment, an upload): it asks the index,
   * in a hidden frame, whether it lies beside it; with no answer it says so and turns its
   * links to the missing pages into text, rather than leading to a browser's error page. */
  function checkNeighbours() {
    var neighbour = main.getAttribute("data-neighbour");
    if (!neighbour) return;
    var answered = false;
    var frame = document.createElement("iframe");
    frame.hidden = true;
    frame.setAttribute("aria-hidden", "true");
    frame.tabIndex = -1;
    window.addEventListener("message", function (event) {
      if (event.source !== frame.contentWindow || !event.data || event.data.atlas !== "beside") return;
      answered = true;
      root.setAttribute("data-neighbours", "here");
      frame.remove();
    });
    frame.addEventListener("load", function () {
      window.setTimeout(function () {
        if (answered) return;
        frame.remove();
        alone();
      }, 2000);  // ms after the frame has loaded: a neighbour answers while it loads
    });
    frame.src = neighbour + "?neighbour";
    document.body.appendChild(frame);
  }

  function alone() {
    root.setAttribute("data-neighbours", "missing");
    Array.prototype.forEach.call(document.querySelectorAll("a[href]"), function (link) {
      var href = link.getAttribute("href") || "";
      if (!href || href.charAt(0) === "#" || /^[a-z][a-z0-9+.-]*:/i.test(href)) return;
      link.removeAttribute("href");
      link.classList.add("link-alone");
      link.setAttribute("aria-disabled", "true");
      link.title = t("Not beside this page");
    });
    var note = document.createElement("p");
    note.className = "alone-note";
    note.setAttribute("role", "note");
    note.textContent = t("This lesson was saved on its own: the atlas's other pages are not beside it, so its " +
      "links to them are turned off. Its maps work as they are.");
    main.parentNode.insertBefore(note, main);
  }

  startPaper();
  checkNeighbours();
  window.addEventListener("keydown", onKey, true);
  main.addEventListener("pointerdown", onPointerDown);
  main.addEventListener("pointerup", onPointerUp);
  if (button) {
    button.hidden = false;
    button.addEventListener("click", start);
  }
  if (/(^|[?&])present(=|&|$)/.test(window.location.search.slice(1))) start();
})();
