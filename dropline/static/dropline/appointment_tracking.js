// A technician visit's page: every few seconds, ask the JSON address on #visit-tracking
// where the visit stands and show it: the status (an aria-live region, so a screen reader
// hears the change), the expected arrival, the technician's name and the steps. Once the
// visit is over (completed, missed or canceled) it stops asking and loads the page again
// to show what can be done next. Without this script the "Check again" link does the same.
(function () {
  "use strict";
  var box = document.getElementById("visit-tracking");
  if (!box || !box.dataset.trackingUrl || !window.fetch) return;
  var url = box.dataset.trackingUrl;
  var delay = (parseInt(box.dataset.pollSeconds, 10) || 10) * 1000;
  var status = box.querySelector("[data-tracking-status]");
  var eta = box.querySelector("[data-tracking-eta]");
  var technicianLine = box.querySelector("[data-tracking-technician-line]");
  var technician = box.querySelector("[data-tracking-technician]");
  var steps = box.querySelector("[data-tracking-steps]");
  var live = ["scheduled", "on_the_way", "arrived"];
  var shown = status ? status.className : "";

  function setText(node, text) {
    if (node && node.textContent !== text) node.textContent = text;
  }

  function showSteps(list, current) {
    if (!steps || !list) return;
    while (steps.firstChild) steps.removeChild(steps.firstChild);
    list.forEach(function (step) {
      var item = document.createElement("li");
      item.className = "visit-step" + (step.done ? " done" : "");
      if (step.status === current) item.setAttribute("aria-current", "step");
      item.textContent = step.label;
      steps.appendChild(item);
    });
  }

  function show(state) {
    if (status) {
      status.className = "badge visit-status-" + state.status;
      setText(status, state.status_label);
    }
    setText(eta, state.eta_label || "");
    if (technicianLine) technicianLine.hidden = !state.technician;
    setText(technician, state.technician || "");
    if (status && status.className !== shown) showSteps(state.steps, state.status);
    shown = status ? status.className : shown;
    if (live.indexOf(state.status) === -1) {
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
