// A support request's page: every little while, ask the JSON address on #ticket-live how
// many messages the thread has and what its status is; when either changed, say so in
// the live region (a screen reader hears it) with a link that shows the new message.
// Without this script the page has its "Check for new messages" link.
(function () {
  "use strict";
  var section = document.getElementById("ticket-live");
  if (!section || !section.dataset.updatesUrl || !window.fetch) return;
  var url = section.dataset.updatesUrl;
  var delay = (parseInt(section.dataset.pollSeconds, 10) || 30) * 1000;
  var messages = section.dataset.messages;
  var status = section.dataset.status;
  var news = document.getElementById("ticket-news");
  var told = false;

  function show(state) {
    if (told) return;
    if (String(state.messages) === messages && state.status === status) return;
    told = true;
    var link = document.createElement("a");
    link.href = window.location.pathname;
    link.textContent = section.dataset.newsLink;
    news.textContent = section.dataset.newsText + " ";
    news.appendChild(link);
    news.className = "notice";
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
        if (!told) window.setTimeout(poll, delay);
      });
  }

  window.setTimeout(poll, delay);
})();
