/* A page of a single-file build travels alone (an attachment, an upload to a learning
 * platform) as often as with its neighbours. It asks one neighbour, in a hidden frame,
 * whether it is there; if no answer comes, the page says that it was sent on its own and
 * turns its links to the atlas's other pages into plain text, rather than leading the
 * reader (or the clicker's →) to a browser's error page. */
(function (A) {
  "use strict";

  var GRACE = 2000;  // ms after the frame has loaded: a neighbour answers while it loads

  function otherPage(link) {
    var href = link.getAttribute("href") || "";
    if (!href || href.charAt(0) === "#" || /^[a-z][a-z0-9+.-]*:/i.test(href)) return false;
    return link.pathname !== window.location.pathname;
  }

  function alone() {
    A.alone = true;
    document.documentElement.setAttribute("data-neighbours", "missing");
    document.querySelectorAll("a[href]").forEach(function (link) {
      if (!otherPage(link)) return;
      link.removeAttribute("href");
      link.classList.add("link-alone");
      link.setAttribute("aria-disabled", "true");
      link.title = A.t("Not beside this page");
    });
    var note = A.element("p", "alone-note", A.t("This page was saved on its own: the atlas's other pages are not " +
      "beside it, so its links to them are turned off. Keep the whole folder together to step through every period."));
    note.setAttribute("role", "note");
    var main = document.querySelector("main");  // above it: inside, a grid would place it anywhere
    if (main) main.parentNode.insertBefore(note, main); else document.body.insertBefore(note, document.body.firstChild);
  }

  A.starters.push(function startAlone() {
    var neighbour = A.page.neighbour;
    // A single-file lesson's map (a srcdoc frame) has no links of its own to check.
    // Nor does a period shown in a presentation's frame: its host asked already.
    if (!neighbour || window.location.protocol === "about:" || (A.stage && A.stage.staged)) return;
    var answered = false;
    var frame = document.createElement("iframe");
    frame.hidden = true;
    frame.title = "";
    frame.setAttribute("aria-hidden", "true");
    frame.tabIndex = -1;
    window.addEventListener("message", function (event) {
      if (event.source !== frame.contentWindow || !event.data || event.data.atlas !== "beside") return;
      answered = true;
      document.documentElement.setAttribute("data-neighbours", "here");
      frame.remove();
    });
    frame.addEventListener("load", function () {
      window.setTimeout(function () {
        if (answered) return;
        frame.remove();
        alone();
      }, GRACE);
    });
    frame.src = neighbour + "?neighbour";
    document.body.appendChild(frame);
  });
})(window.Atlas);
