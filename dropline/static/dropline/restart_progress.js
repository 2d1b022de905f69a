// A restart's progress page: every few seconds, ask the JSON address on
// #restart-progress how the restart is going and put its words in the message (an
// aria-live region, so a screen reader hears the change). When it has finished, load the
// page again to show the result. Without this script the "Check again" link does the same.
(function () {
  "use strict";
  var box = document.getElementById("restart-progress");
  if (!box || !box.dataset.statusUrl || !window.fetch) return;
  var url = box.dataset.statusUrl;
  var delay = (parseInt(box.dataset.pollSeconds, 10) || 5) * 1000;
  var message = box.querySelector("[data-restart-message]");

  function show(progress) {
    if (message && progress.message && message.textContent !== progress.message) {
      message.textContent = progress.message;
    }
    if (progress.finished) {
      window.location.reload();
      return true;
    }
    return false;
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(show)
      .catch(function () {
        return false;
      })
      .then(function (finished) {
        if (!finished) window.setTimeout(poll, delay);
      });
  }

  window.setTimeout(poll, delay);
})();
