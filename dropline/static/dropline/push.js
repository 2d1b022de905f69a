// Push notifications on this device (the page notifications:push_devices).
//
// Marks the list's row for this browser ("This device", compared by the SHA-256 of the
// endpoint, so the page never prints endpoints), shows the "Turn on notifications on
// this device" button where the browser can take push messages, and on a press asks
// for permission, subscribes with the site's key through the service worker
// (navigator.serviceWorker.ready) and POSTs the subscription's JSON, with the CSRF
// token of the page's form, to the form's address; the page then reloads with the new
// device listed. Removing this browser's row also ends its subscription here.
// Without this script the page says what is needed instead.
(function () {
  "use strict";
  var section = document.getElementById("push-here");
  var form = document.getElementById("push-form");
  var status = document.getElementById("push-status");
  if (!section || !form || !status) return;
  var READY_TIMEOUT_MS = 10000;

  function word(name) {
    var item = document.querySelector('#push-words [data-word="' + name + '"]');
    return item ? item.textContent : "";
  }

  function say(name, text) {
    status.textContent = text || word(name);
  }

  var supported =
    window.isSecureContext &&
    "serviceWorker" in navigator &&
    "PushManager" in window &&
    "Notification" in window &&
    window.crypto &&
    window.crypto.subtle;
  if (!supported) {
    say("unsupported");
    return;
  }

  function keyBytes(text) {
    var padded = (text + "===".slice((text.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = window.atob(padded);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  function sameBytes(buffer, bytes) {
    if (!buffer) return false;
    var view = new Uint8Array(buffer);
    if (view.length !== bytes.length) return false;
    for (var i = 0; i < view.length; i++) if (view[i] !== bytes[i]) return false;
    return true;
  }

  function marker(endpoint) {
    return window.crypto.subtle
      .digest("SHA-256", new TextEncoder().encode(endpoint))
      .then(function (digest) {
        return Array.prototype.map
          .call(new Uint8Array(digest), function (b) {
            return ("0" + b.toString(16)).slice(-2);
          })
          .join("");
      });
  }

  function withTimeout(promise, ms) {
    return new Promise(function (resolve, reject) {
      var timer = window.setTimeout(function () {
        reject(new Error("not_ready"));
      }, ms);
      promise.then(
        function (value) {
          window.clearTimeout(timer);
          resolve(value);
        },
        function (error) {
          window.clearTimeout(timer);
          reject(error);
        }
      );
    });
  }

  function askPermission() {
    if (Notification.permission !== "default") return Promise.resolve(Notification.permission);
    return new Promise(function (resolve) {
      var answer = Notification.requestPermission(resolve);
      if (answer && answer.then) answer.then(resolve);
    });
  }

  function csrf() {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  var applicationKey = keyBytes(section.dataset.key || "");
  var button = document.getElementById("push-on");
  var current = null; // this browser's subscription, when it has one

  function showButton(show) {
    form.hidden = !show;
  }

  function markThisDevice(subscription) {
    if (!subscription) return Promise.resolve(false);
    return marker(subscription.endpoint).then(function (mine) {
      var found = false;
      document.querySelectorAll("[data-device]").forEach(function (row) {
        if (row.dataset.device !== mine) return;
        found = true;
        var badge = row.querySelector("[data-this-device]");
        if (badge) badge.hidden = false;
      });
      document.querySelectorAll("form[data-remove-device]").forEach(function (removal) {
        if (removal.dataset.removeDevice === mine) removal.dataset.mine = "1";
      });
      return found && sameBytes(subscription.options && subscription.options.applicationServerKey, applicationKey);
    });
  }

  function look() {
    if (Notification.permission === "denied") {
      say("denied");
      showButton(false);
      return;
    }
    navigator.serviceWorker
      .getRegistration()
      .then(function (registration) {
        return registration ? registration.pushManager.getSubscription() : null;
      })
      .then(function (subscription) {
        current = subscription;
        return markThisDevice(subscription);
      })
      .then(function (listed) {
        say(listed ? "on" : "ready");
        showButton(!listed);
      })
      .catch(function () {
        say("ready");
        showButton(true);
      });
  }

  function subscribe(registration) {
    return registration.pushManager.getSubscription().then(function (existing) {
      var keyMatches =
        existing && sameBytes(existing.options && existing.options.applicationServerKey, applicationKey);
      var cleared = existing && !keyMatches ? existing.unsubscribe() : Promise.resolve();
      return cleared.then(function () {
        if (keyMatches) return existing;
        return registration.pushManager.subscribe({
          userVisibleOnly: true,
          applicationServerKey: applicationKey,
        });
      });
    });
  }

  function send(subscription) {
    return fetch(form.action, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        "X-CSRFToken": csrf(),
        Accept: "application/json",
      },
      body: JSON.stringify(subscription.toJSON()),
    }).then(function (response) {
      return response
        .json()
        .catch(function () {
          return {};
        })
        .then(function (answer) {
          if (!response.ok) {
            var error = new Error("refused");
            error.detail = answer.detail;
            throw error;
          }
          return answer;
        });
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    button.disabled = true;
    say("asking");
    askPermission()
      .then(function (permission) {
        if (permission !== "granted") throw new Error(permission === "denied" ? "denied" : "ready");
        say("saving");
        return withTimeout(navigator.serviceWorker.ready, READY_TIMEOUT_MS);
      })
      .then(subscribe)
      .then(send)
      .then(function () {
        window.location.reload();
      })
      .catch(function (error) {
        var name = error && error.message;
        if (error && error.detail) say("", error.detail);
        else if (name === "denied" || name === "ready" || name === "not_ready") say(name);
        else say("failed");
        showButton(name !== "denied");
        button.disabled = false;
      });
  });

  document.querySelectorAll("form[data-remove-device]").forEach(function (removal) {
    removal.addEventListener("submit", function (event) {
      if (removal.dataset.mine !== "1" || !current || removal.dataset.unsubscribed) return;
      event.preventDefault();
      removal.dataset.unsubscribed = "1";
      current
        .unsubscribe()
        .catch(function () {})
        .then(function () {
          removal.submit();
        });
    });
  });

  look();
})();
