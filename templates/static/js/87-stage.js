/* One presentation through every period, without leaving full screen. The page where
 * Present was started (the host) shows its own period's slides itself; the other periods'
 * pages are shown over it in frames, full size, each presenting itself (?present=N&stage),
 * the next one loaded beforehand so that crossing into it is instant. Full screen belongs
 * to the host's document, so it lasts while the frames change. A frame asks its host, by
 * message, to go on to a neighbouring period, to toggle full screen, to leave, and tells it
 * its slide, which the host puts in its own address (?present=3&period=…): a reload goes on
 * from it. Messages carry only words and numbers, and are taken only from our own frames
 * (a frame: only from its host). */
(function (A) {
  "use strict";

  var KEEP = 3;          // frames kept loaded besides the host's own period
  var GRACE = 2000;      // ms after a frame's load for its "ready": longer, and it is missing

  var staged = window.parent !== window && /(^|[?&])stage(=|&|$)/.test(window.location.search.slice(1));
  var frames = [];       // {index, node, ready, failed, pending}
  var shown = null;      // the frame over the host's own period, or null
  var own = -1;          // the host's period in the sequence
  // A reload of a presentation that had gone on to another period: read before the
  // page's own first slide rewrites the address.
  var resume = {
    period: /(?:^|[?&])period=([^&]*)/.exec(window.location.search.slice(1)),
    slide: /(?:^|[?&])present=(\d+)/.exec(window.location.search.slice(1))
  };

  var periods = null;
  /* Every period in order, each with its page. */
  function sequence() {
    if (!periods) {
      var ids = (A.page && A.page.sequence) || [];
      periods = ids.map(function (id) { return { id: id, url: A.page.sequence_at + id + ".html" }; });
    }
    return periods;
  }

  function relative(url) { return typeof url === "string" && !/^[a-z][a-z0-9+.-]*:/i.test(url); }

  function post(target, message) {
    try { target.postMessage(message, "*"); } catch (err) { /* a frame gone */ }
  }

  /* ----- in a frame: the host does what the page would do itself ----- */

  function toHost(message) {
    message.atlas = "present";
    post(window.parent, message);
    return true;
  }

  /* ----- in the host ----- */

  function frameFor(index) {
    for (var i = 0; i < frames.length; i++) if (frames[i].index === index) return frames[i];
    return null;
  }

  function load(index, slide) {
    var found = frameFor(index);
    if (found) return found;
    var record = { index: index, node: document.createElement("iframe"), ready: false, failed: false, pending: null, keys: [] };
    record.node.className = "stage-frame";
    record.node.title = A.t("Presentation");
    record.node.setAttribute("allow", "fullscreen");
    record.node.src = sequence()[index].url + "?present=" + (slide || 1) + "&stage";
    record.node.addEventListener("load", function () {
      window.setTimeout(function () {
        if (record.ready) return;
        record.failed = true;
        if (shown === record) unreachable(record);
      }, GRACE);
    });
    document.body.appendChild(record.node);
    frames.push(record);
    evict(index);
    return record;
  }

  /* The farthest frames go: a long atlas does not keep every period loaded. */
  function evict(near) {
    frames.sort(function (a, b) { return Math.abs(a.index - near) - Math.abs(b.index - near); });
    while (frames.length > KEEP) {
      var gone = frames.pop();
      if (gone === shown) { frames.unshift(gone); break; }
      gone.node.remove();
    }
  }

  function enter(record, where) {
    if (record.ready) post(record.node.contentWindow, { atlas: "present", enter: where });
    else record.pending = where;
  }

  /* Show period `index` at its first or last slide ("first", "last", or a slide number). */
  function show(index, where) {
    var list = sequence();
    if (index < 0 || index >= list.length) return false;
    frames.forEach(function (record) { record.node.classList.remove("stage-shown"); });
    if (index === own) {
      shown = null;
      if (document.activeElement && document.activeElement.blur) document.activeElement.blur();
      window.focus();
      A.presentAt(where);
      return true;
    }
    var record = load(index, typeof where === "number" ? where : 1);
    shown = record;
    record.node.classList.add("stage-shown");
    if (record.failed) { unreachable(record); return true; }
    enter(record, where);
    // The keys stay with this page, which passes them on (kept until the frame is ready):
    // a key pressed while the frame still loads is not lost.
    if (document.activeElement && document.activeElement.blur) document.activeElement.blur();
    if (index + 1 < list.length && index + 1 !== own) load(index + 1, 1);  // the next one, beforehand
    return true;
  }

  /* A period's page that does not answer (a single file sent alone, or a frame the browser
   * refused): the host goes to it as a page, or, if it is not there, says so. */
  function unreachable(record) {
    var url = sequence()[record.index].url;
    record.node.classList.remove("stage-shown");
    shown = null;
    if (A.page.neighbour || A.alone) {  // a single file: its neighbours may not be there at all
      A.presentAt("last");
      A.presentNote(A.t("The next period's page is not beside this one: this page was saved on its own."));
      return;
    }
    window.location.href = url + "?present";
  }

  function indexOf(source) {
    for (var i = 0; i < frames.length; i++) if (frames[i].node.contentWindow === source) return frames[i];
    return null;
  }

  function remember(slide, id) {
    A.setAddress("?present=" + slide + (id ? "&period=" + encodeURIComponent(id) : "") + window.location.hash);
  }

  function onMessage(event) {
    var data = event.data;
    if (!data || data.atlas !== "present") return;
    if (staged) {
      if (event.source !== window.parent) return;
      if (data.enter === "first" || data.enter === "last" || (typeof data.enter === "number" && isFinite(data.enter))) A.presentAt(data.enter);
      if (typeof data.key === "string") A.presentKey(data.key);
      return;
    }
    var record = indexOf(event.source);
    if (!record) return;
    if (data.ready) {
      record.ready = true;
      if (record.pending !== null) { enter(record, record.pending); record.pending = null; }
      record.keys.forEach(function (key) { post(record.node.contentWindow, { atlas: "present", key: key }); });
      record.keys = [];
      return;
    }
    if (record !== shown) return;  // a frame loading beforehand asks nothing
    var id = sequence()[record.index].id;
    if (typeof data.slide === "number" && isFinite(data.slide)) remember(Math.floor(data.slide), id);
    else if (data.cross === 1 || data.cross === -1) show(record.index + data.cross, data.cross > 0 ? "first" : "last");
    else if (data.fullScreen) A.toggleFullScreen();
    else if (data.leave) {
      if (document.fullscreenElement && document.exitFullscreen) document.exitFullscreen().catch(function () {});
      window.location.href = sequence()[record.index].url;
    }
  }

  A.stage = {
    staged: staged,
    /* Whether a frame hides the host's own slides (its keys are then the frame's). */
    covered: function () { return !!shown; },
    cross: function (delta) {
      if (staged) return toHost({ cross: delta });
      if (own < 0 || !sequence().length) return false;
      if (A.alone) {  // a single file sent on its own (88-alone.js): nothing to go on to
        A.presentNote(A.t("The other periods' pages are not beside this one: this page was saved on its own."));
        return true;
      }
      var base = shown ? shown.index : own;
      if (base + delta < 0 || base + delta >= sequence().length) return true;  // the first or last of all
      if (!relative(sequence()[base + delta].url)) return false;  // on another site: go as a page
      return show(base + delta, delta > 0 ? "first" : "last");
    },
    fullScreen: function () { return staged ? toHost({ fullScreen: true }) : false; },
    leave: function () {
      if (staged) return toHost({ leave: true });
      frames.forEach(function (record) { record.node.remove(); });
      frames = [];
      shown = null;
      return false;
    },
    remember: function (slide) {
      if (staged) return toHost({ slide: slide });
      remember(slide, null);
      return true;
    },
    forward: function (key) {
      if (!shown) return false;
      if (shown.ready) post(shown.node.contentWindow, { atlas: "present", key: key });
      else shown.keys.push(key);
      return true;
    },
    ready: function () {
      if (staged) { toHost({ ready: true }); return; }
      var list = sequence();
      for (var i = 0; i < list.length; i++) if (list[i].id === A.page.period) own = i;
      if (resume.period) {
        var id = "";
        try { id = decodeURIComponent(resume.period[1]); } catch (err) { id = ""; }  // a broken %-escape
        var slide = resume.slide ? Number(resume.slide[1]) : 1;
        for (var j = 0; j < list.length; j++) if (list[j].id === id && j !== own && relative(list[j].url)) show(j, slide);
        resume.period = null;
      }
      if (own + 1 < list.length && relative(list[own + 1].url)) load(own + 1, 1);
    }
  };

  A.starters.push(function startStage() {
    if (A.page.kind !== "period") return;
    window.addEventListener("message", onMessage);
  });
})(window.Atlas);
