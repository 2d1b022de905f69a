// The speed test on /speed-test/. Pressing start asks the server for a budget (a token
// and how many pings and chunks it allows), then measures against the portal's own
// endpoints: the delay (several pings: the median, and the jitter as the mean change
// between pings), the download (several parallel streams for a few seconds, counting
// bytes as they arrive), then the upload (the same, with chunks that grow while they
// are quick). Chunk requests carry the token and no cookies. The progress is shown as
// it goes (the phase in a status region, read out by screen readers), then the result
// is posted and the page reloads showing it with the advice and the history. Every
// word comes from the page (data-text-*), in its language; without this script the
// page says that the test needs JavaScript.
(function () {
  "use strict";
  var form = document.getElementById("speed-test");
  if (!form || !window.fetch || !window.AbortController || !window.performance) return;
  var progress = document.getElementById("speed-progress");
  var status = document.getElementById("speed-status");
  var bar = document.getElementById("speed-bar");
  var button = form.querySelector("button[type=submit]");
  var text = form.dataset;
  var language = document.documentElement.lang || "en";
  var running = false;
  form.hidden = false;

  function say(words) {
    status.textContent = words;
  }

  function show(name, words) {
    var element = progress.querySelector('[data-figure="' + name + '"]');
    if (element) element.textContent = words;
  }

  function speed(mbps) {
    var digits = mbps >= 100 ? 0 : 1;
    var format = new Intl.NumberFormat(language, {
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
    return format.format(mbps) + " Mbps";
  }

  function mbps(bytes, milliseconds) {
    return milliseconds > 0 ? (bytes * 8) / (milliseconds * 1000) : 0;
  }

  function csrf() {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // A request under the budget: the token in a header, no cookies, no cache, and a
  // redirect (the budget is gone) taken as a failure rather than followed.
  function chunk(url, budget, init) {
    init.credentials = "omit";
    init.cache = "no-store";
    init.redirect = "manual";
    init.headers = Object.assign({ "X-Speed-Test-Token": budget.token }, init.headers || {});
    return fetch(url, init);
  }

  function json(response) {
    return response.json().then(function (answer) {
      if (!response.ok) {
        var error = new Error(answer.detail || String(response.status));
        error.said = answer.detail;
        throw error;
      }
      return answer;
    });
  }

  function latency(budget) {
    var count = Math.min(budget.pings, 11);
    var times = [];
    var sent = 0;
    function one() {
      if (sent >= count) return Promise.resolve();
      var number = sent++;
      var began = performance.now();
      return chunk(text.pingUrl + "?n=" + number, budget, { method: "GET" }).then(function (r) {
        if (r.status === 409) return one(); // a retry the browser made: the next number
        if (r.status !== 204) throw new Error("ping " + r.status);
        if (number > 0) times.push(performance.now() - began); // the first opens the connection
        bar.value = (10 * sent) / count;
        return one();
      });
    }
    return one().then(function () {
      var sorted = times.slice().sort(function (a, b) {
        return a - b;
      });
      var middle = Math.floor(sorted.length / 2);
      var median = sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
      var jitter = 0;
      for (var i = 1; i < times.length; i++) jitter += Math.abs(times[i] - times[i - 1]);
      return {
        latency: Math.round(median || 0),
        jitter: Math.round(times.length > 1 ? jitter / (times.length - 1) : 0),
      };
    });
  }

  // Run ``streams`` loops of ``step`` until the phase's time is up, then stop what is
  // still in flight. ``step(signal, loop)`` resolves when one request is done: true to go on.
  function phase(budget, from, share, name, step, measure) {
    var began = performance.now();
    var ends = began + budget.seconds * 1000;
    var controllers = [];
    var failed = null;
    function loop(index) {
      if (performance.now() >= ends) return Promise.resolve();
      var controller = new AbortController();
      controllers.push(controller);
      return step(controller.signal, index).then(function (more) {
        return more ? loop(index) : null;
      });
    }
    var ticker = window.setInterval(function () {
      var now = performance.now();
      bar.value = from + (share * Math.min(now - began, ends - began)) / (ends - began);
      show(name, speed(measure(now)));
    }, 250);
    var timer = window.setTimeout(function () {
      controllers.forEach(function (controller) {
        controller.abort();
      });
    }, budget.seconds * 1000);
    var loops = [];
    for (var i = 0; i < budget.streams; i++) {
      loops.push(
        loop(i).catch(function (error) {
          if (error.name !== "AbortError") failed = error;
        })
      );
    }
    return Promise.all(loops).then(function () {
      window.clearInterval(ticker);
      window.clearTimeout(timer);
      if (failed) throw failed;
      var result = measure(Math.min(performance.now(), ends));
      show(name, speed(result));
      return result;
    });
  }

  function download(budget) {
    var next = 0;
    var received = 0;
    var began = performance.now();
    // The first second is TCP finding its pace: it is left out of the figure.
    var warm = null;
    function step(signal) {
      if (next >= budget.download_chunks) return Promise.resolve(false);
      var url = text.downloadUrl + "?n=" + next++ + "&bytes=" + budget.chunk_bytes;
      return chunk(url, budget, { method: "GET", signal: signal }).then(function (response) {
        if (response.status === 409) return true; // served already (a retry): go on
        if (response.status !== 200 || !response.body) throw new Error("download " + response.status);
        var reader = response.body.getReader();
        function pump() {
          return reader.read().then(function (piece) {
            if (piece.done) return true;
            received += piece.value.length;
            return pump();
          });
        }
        return pump();
      });
    }
    function measure(now) {
      if (warm === null && now - began >= Math.min(1000, budget.seconds * 200)) {
        warm = { at: now, bytes: received };
      }
      if (warm === null || now <= warm.at) return mbps(received, now - began);
      return mbps(received - warm.bytes, now - warm.at);
    }
    return phase(budget, 10, 45, "download", step, measure);
  }

  function upload(budget) {
    var payload = new Uint8Array(budget.chunk_bytes);
    for (var offset = 0; offset < payload.length; offset += 65536) {
      window.crypto.getRandomValues(payload.subarray(offset, Math.min(offset + 65536, payload.length)));
    }
    var next = 0;
    var sent = 0;
    var began = performance.now();
    var last = began;
    var ends = began + budget.seconds * 1000;
    var sizes = [];
    function step(signal, stream) {
      if (next >= budget.upload_chunks) return Promise.resolve(false);
      var number = next++;
      var size = sizes[stream] || 65536;
      var started = performance.now();
      var init = {
        method: "POST",
        body: payload.subarray(0, size),
        signal: signal,
        headers: { "Content-Type": "application/octet-stream" },
      };
      return chunk(text.uploadUrl + "?n=" + number, budget, init).then(function (response) {
        if (response.status === 409) return true; // taken already (a retry): go on
        if (response.status !== 200) throw new Error("upload " + response.status);
        var now = performance.now();
        if (now <= ends) {
          sent += size;
          last = now;
        }
        // Quick chunks grow, so a fast line is not measured by its request overheads.
        sizes[stream] = now - started < 500 ? Math.min(size * 2, budget.chunk_bytes) : size;
        return true;
      });
    }
    function measure(now) {
      return mbps(sent, Math.min(now, last) - began);
    }
    return phase(budget, 55, 40, "upload", step, measure);
  }

  function save(budget, figures) {
    var body = new URLSearchParams();
    body.set("token", budget.token);
    Object.keys(figures).forEach(function (name) {
      body.set(name, figures[name]);
    });
    var chosen = form.querySelector("input[name=connection]:checked");
    body.set("connection", chosen ? chosen.value : "unknown");
    return fetch(text.resultUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf(), Accept: "application/json" },
      body: body,
    })
      .then(json)
      .then(function (answer) {
        // Back to this page (keeping its query, such as the troubleshooting run to
        // return to), at the result.
        var page = answer.url.split("#")[0];
        if (page === window.location.pathname) {
          window.location.hash = answer.url.split("#")[1] || "";
          window.location.reload();
        } else {
          window.location.assign(answer.url);
        }
      });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (running) return;
    running = true;
    button.setAttribute("aria-disabled", "true");
    progress.hidden = false;
    bar.value = 0;
    ["latency", "download", "upload"].forEach(function (name) {
      show(name, "–");
    });
    say(text.textStarting);
    var figures = { streams: 1 };
    fetch(text.startUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf(), Accept: "application/json" },
    })
      .then(json)
      .then(function (budget) {
        figures.streams = budget.streams;
        say(text.textLatency);
        return latency(budget)
          .then(function (found) {
            figures.latency_ms = found.latency;
            figures.jitter_ms = found.jitter;
            show("latency", found.latency + " ms");
            say(text.textDownload);
            return download(budget);
          })
          .then(function (down) {
            figures.download_kbps = Math.round(down * 1000);
            say(text.textUpload);
            return upload(budget);
          })
          .then(function (up) {
            figures.upload_kbps = Math.round(up * 1000);
            bar.value = 100;
            say(text.textSaving);
            return save(budget, figures);
          });
      })
      .catch(function (error) {
        say(error.said || text.textFailed);
        running = false;
        button.removeAttribute("aria-disabled");
      });
  });
})();
