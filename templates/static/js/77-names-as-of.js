/* A gazetteer's index: the names on its map as of a year the reader chooses, or as each
 * place's own entry gives them. Each changing place carries its label before its first
 * turning day and from each of them (`steps`, day numbers worked out by the build:
 * compared here as numbers, never through Date). Names are put in as text. */
(function (A) {
  "use strict";

  function nameAt(steps, day) {
    var name = steps[0][1];
    for (var i = 1; i < steps.length && steps[i][0] <= day; i++) name = steps[i][1];
    return name;
  }

  A.starters.push(function startNamesAsOf() {
    var select = document.getElementById("names-as-of");
    if (!select || !A.map) return;
    var own = Object.create(null);  // each place's name as its entry gives it
    select.addEventListener("change", function () {
      var day = select.value === "" ? null : Number(select.value);
      Object.keys(A.layersById).forEach(function (id) {
        var layer = A.layersById[id];
        var p = layer.feature && layer.feature.properties;
        if (!p || p.type !== "place" || !p.steps) return;
        if (!(id in own)) own[id] = p.name;
        p.name = day === null ? own[id] : nameAt(p.steps, day);
        if (layer.getTooltip()) layer.setTooltipContent(A.element("span", null, p.name));
      });
      A.map.closePopup();  // (it named the place as it was)
      A.layoutLabels();
    });
  });
})(window.Atlas);
