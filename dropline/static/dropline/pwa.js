// The installable app: register the service worker (/sw.js, the whole site), and tell
// it when the person signs out, so it forgets the pages it kept for offline reading
// (the sign-out answer also clears them, with Clear-Site-Data).
(function () {
  "use strict";
  const script = document.currentScript;
  if (!script || !("serviceWorker" in navigator)) return;
  const worker = script.dataset.serviceWorker;
  const signOut = script.dataset.signOut;

  window.addEventListener("load", function () {
    navigator.serviceWorker.register(worker, { scope: "/" }).catch(function () {
      // No worker (a private window, storage switched off): the site works without it.
    });
  });

  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !navigator.serviceWorker.controller) return;
    if (new URL(form.action, location.href).pathname === signOut) {
      navigator.serviceWorker.controller.postMessage({ type: "signed-out" });
    }
  });
})();
