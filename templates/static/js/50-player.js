/* The event player: steps through the period's events in date order, at a pace the
 * reader chooses (or by hand). */
(function (A) {
  "use strict";

  var playing = null;  // the timer
  var PACE_KEY = "atlas-pace";

  function pace() {
    var select = document.querySelector(".player-pace");
    var seconds = select ? Number(select.value) : 8;
    return seconds > 0 ? seconds : 0;
  }

  A.step = function (delta) {
    if (!A.order.length) return false;
    var next = A.current + delta;
    if (next < 0) next = 0;
    if (next >= A.order.length) { A.stop(); return false; }
    A.show(A.order[next], true);
    return true;
  };

  A.stop = function () {
    if (playing) window.clearInterval(playing);
    playing = null;
    A.updatePlayer();
  };

  function togglePlay() {
    if (playing) { A.stop(); return; }
    if (!pace()) { A.step(1); return; }  // "by hand": Play takes one step
    if (A.current >= A.order.length - 1) A.current = -1;
    A.step(1);
    playing = window.setInterval(function () { A.step(1); }, pace() * 1000);
    A.updatePlayer();
  }

  A.updatePlayer = function () {
    var status = document.querySelector(".player-status");
    var play = document.querySelector(".player [data-step=play]");
    if (play) {
      play.setAttribute("aria-pressed", playing ? "true" : "false");
      play.textContent = playing ? A.t("Pause") : A.t("Play");
    }
    if (!status) return;
    if (A.current < 0) { status.textContent = A.tn("%(num)d event", "%(num)d events", A.order.length); return; }
    var item = document.querySelector('.event-list li[data-event="' + A.order[A.current] + '"] .event-title');
    var place = {num: A.current + 1, all: A.order.length, title: item ? item.textContent : ""};
    status.textContent = item ? A.t("Event %(num)d of %(all)d: %(title)s", place) : A.t("Event %(num)d of %(all)d", place);
  };

  A.starters.push(function startPlayer() {
    var buttons = document.querySelectorAll(".player button[data-step]");
    for (var j = 0; j < buttons.length; j++) {
      buttons[j].addEventListener("click", function (e) {
        var what = e.currentTarget.getAttribute("data-step");
        if (what === "play") togglePlay();
        else { A.stop(); A.step(what === "next" ? 1 : -1); }
      });
    }
    var select = document.querySelector(".player-pace");
    if (select) {
      try {
        var saved = localStorage.getItem(PACE_KEY);
        if (saved && select.querySelector('option[value="' + Number(saved) + '"]')) select.value = String(Number(saved));
      } catch (err) { /* storage off: the default pace */ }
      select.addEventListener("change", function () {
        try { localStorage.setItem(PACE_KEY, select.value); } catch (err) { /* storage off: this page only */ }
        if (playing) { A.stop(); togglePlay(); }
      });
    }
    A.updatePlayer();
  });
})(window.Atlas);
