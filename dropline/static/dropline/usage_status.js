// The ingest status page's live figures: every few seconds, read the figures from the
// JSON address on #usage-live and show them in the elements marked data-figure and
// data-minute (inside an aria-live region, so a screen reader hears them change), in
// the words and number format the server gives. Without this script the page still
// shows the figures and reloads itself.
(function () {
  "use strict";
  var section = document.getElementById("usage-live");
  if (!section || !section.dataset.figuresUrl || !window.fetch) return;
  var url = section.dataset.figuresUrl;
  var delay = (parseInt(section.dataset.pollSeconds, 10) || 5) * 1000;

  function setText(element, text) {
    if (element && text !== undefined && element.textContent !== text) {
      element.textContent = text;
    }
  }

  function show(figures) {
    var text = figures.text || {};
    document.querySelectorAll("[data-figure]").forEach(function (element) {
      setText(element, text[element.dataset.figure]);
    });
    var minutes = figures.minutes || [];
    document.querySelectorAll("[data-minute]").forEach(function (element) {
      var minute = minutes[parseInt(element.dataset.minute, 10)];
      if (minute) setText(element, minute.text);
    });
    document.querySelectorAll("[data-minute-label]").forEach(function (element) {
      var minute = minutes[parseInt(element.dataset.minuteLabel, 10)];
      if (minute) setText(element, minute.label);
    });
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(show)
      .catch(function () {})
      .then(function () {
        window.setTimeout(poll, delay);
      });
  }

  window.setTimeout(poll, delay);
})();
