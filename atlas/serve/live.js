/* atlas serve: added to served pages only, never to the built files. After a good
 * rebuild the page reloads; after a broken one, the path:line messages show over the
 * page (as text) until the edit is fixed. */
(function () {
  "use strict";
  var seen = null;
  var box = null;

  function show(errors) {
    if (!errors.length) {
      if (box) { box.remove(); box = null; }
      return;
    }
    if (!box) {
      box = document.createElement("div");
      box.id = "atlas-serve-errors";
      box.setAttribute("role", "alert");
      var s = box.style;  // set through the DOM: the page's policy allows no style attribute
      s.position = "fixed"; s.left = "0"; s.right = "0"; s.top = "0"; s.zIndex = "100000";
      s.maxHeight = "60vh"; s.overflow = "auto"; s.padding = "1rem 1.25rem"; s.background = "#fff3f0";
      s.borderBottom = "3px solid #b00020"; s.font = "14px/1.45 ui-monospace, Menlo, Consolas, monospace"; s.color = "#1d1d1f";
      document.body.appendChild(box);
    }
    box.textContent = "";
    var head = document.createElement("p");
    head.textContent = "The last edit did not build; the page shows the last good build. Fix these and save:";
    head.style.margin = "0 0 .5rem"; head.style.fontWeight = "bold";
    box.appendChild(head);
    errors.forEach(function (line) {
      var item = document.createElement("div");
      item.className = "atlas-serve-error";
      item.textContent = line;
      box.appendChild(item);
    });
  }

  function poll() {
    fetch("/__atlas__/state", { cache: "no-store" }).then(function (response) { return response.json(); })
      .then(function (state) {
        if (seen === null) seen = state.generation;
        if (state.generation !== seen) { window.location.reload(); return; }
        show(state.errors || []);
      }, function () { /* the server is restarting or gone: ask again */ })
      .then(function () { window.setTimeout(poll, 500); });
  }
  poll();
})();
