// The bill run page's live progress: every 2 seconds, read the run's figures from
// the JSON address on #run-progress and show them in the <progress> bar and the
// figures (an aria-live region, so a screen reader hears them change), in the words
// and number format the server gives. Stops once the run is no longer running.
// Without this script the page still shows the figures and reloads itself while
// the run goes on.
(function () {
  "use strict";
  var section = document.getElementById("run-progress");
  if (!section || !section.dataset.progressUrl || !window.fetch) return;
  var url = section.dataset.progressUrl;
  var bar = document.getElementById("run-bar");
  var chunks = document.getElementById("run-chunks");
  var badge = document.getElementById("run-status");
  var refreshNote = document.getElementById("run-refresh-note");
  var finishedNote = document.getElementById("run-finished-note");

  function setText(element, text) {
    if (element && text !== undefined && element.textContent !== text) {
      element.textContent = text;
    }
  }

  function show(figures) {
    var text = figures.text || {};
    if (bar) {
      bar.max = Math.max(figures.chunks_total, 1);
      bar.value = figures.chunks_done;
      bar.textContent = figures.chunks_done + " / " + figures.chunks_total;
    }
    setText(chunks, text.chunks);
    section.querySelectorAll("[data-figure]").forEach(function (element) {
      setText(element, text[element.dataset.figure]);
    });
    if (badge) {
      setText(badge, text.status_label);
      badge.className = "badge run-" + figures.status;
    }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (figures) {
        show(figures);
        if (figures.running) {
          window.setTimeout(poll, 2000);
        } else {
          if (refreshNote) refreshNote.hidden = true;
          if (finishedNote) finishedNote.hidden = false;
        }
      })
      .catch(function () {
        window.setTimeout(poll, 2000);
      });
  }

  window.setTimeout(poll, 2000);
})();
