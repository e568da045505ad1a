/* Start: read the page's data, then let each part set itself up, in file order. */
(function (A) {
  "use strict";

  function start() {
    // Asked by a page of the same atlas whether this one lies beside it (88-alone.js): the
    // answer is all, nothing else of the page starts in that hidden frame.
    if (window.parent !== window && /(^|[?&])neighbour(&|$)/.test(window.location.search.slice(1))) {
      window.parent.postMessage({ atlas: "beside" }, "*");
      return;
    }
    var block = document.getElementById("atlas-page");
    if (!block) return;
    A.page = JSON.parse(block.textContent);
    A.map = window[A.page.map] || null;
    // Whether the map is flying, panning or zooming: what waits for it to stand still
    // (a click on a popup, a test) can see it.
    A.moving = false;
    if (A.map) A.map.on("movestart", function () { A.moving = true; }).on("moveend", function () { A.moving = false; });
    A.starters.forEach(function (starter) { starter(); });
    if (!A.map) return;
    // The basemap comes last, once the view is settled (a deep link's popup may pan the
    // map to fit): the image and any tiles are then fetched for the view the reader sees.
    var panning = false;
    var onPan = function () { panning = true; };
    A.map.once("autopanstart", onPan);
    A.showHash();
    A.map.off("autopanstart", onPan);
    if (panning) A.map.once("moveend", A.addBasemap); else A.addBasemap();
  }

  // Every script of the page has run by then, folium's map included.
  document.addEventListener("DOMContentLoaded", start);
})(window.Atlas);
