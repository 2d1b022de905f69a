/* Dropline's service worker, served at /sw.js so that its scope is the whole site.
 *
 * - Installing it keeps the app shell: the offline page in each language, site.css,
 *   pwa.js and the icons. A new version (a deploy) drops the caches of the old one.
 * - Navigations (GET, this site, not the back-office or the APIs) go to the network
 *   first. A page the server marks "X-Dropline-Offline: private" (the signed-in
 *   overview, billing and data usage) is kept for its owner, one person at a time.
 *   Without a network, a kept page is shown with its "You're offline" notice, any other
 *   page as the offline page, in the language of the last page shown.
 * - Kept pages are forgotten when the person signs out: the sign-out answer clears the
 *   site's storage (Clear-Site-Data), the page tells the worker as the form is sent, and
 *   a kept page's address that now sends the browser to sign in drops them all.
 * - Push messages {title, body, url, tag} become notifications; a click on one shows
 *   url in a portal window.
 */
"use strict";

const CONFIG = {{ config|safe }};
const SHELL_CACHE = "dropline-shell-" + CONFIG.version;
const PAGES = "dropline-pages-";
const PAGES_CACHE_PREFIX = PAGES + CONFIG.version + "-";
const STATE_CACHE = "dropline-state";
const LANGUAGE_KEY = "/sw-state/language";
const SHELL = new Set(CONFIG.shell);

self.addEventListener("install", (event) => {
  // The shell is the same for everyone: asked for without cookies, past the HTTP cache.
  const shell = CONFIG.shell.map((url) => new Request(url, { cache: "reload", credentials: "omit" }));
  event.waitUntil(
    caches
      .open(SHELL_CACHE)
      .then((cache) => cache.addAll(shell))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        const current = name === SHELL_CACHE || name === STATE_CACHE || name.startsWith(PAGES_CACHE_PREFIX);
        if (name.startsWith("dropline-") && !current) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (SHELL.has(url.pathname + url.search)) {
    event.respondWith(fetch(request).catch(() => fromShell(url.pathname + url.search)));
    return;
  }
  if (request.mode !== "navigate" || leftAlone(url.pathname)) return;
  event.respondWith(navigate(event, url));
});

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "signed-out") event.waitUntil(forgetPages(null));
});

function leftAlone(path) {
  return CONFIG.passThrough.some((prefix) => path.startsWith(prefix));
}

async function fromShell(key) {
  const cache = await caches.open(SHELL_CACHE);
  return (await cache.match(key)) || Response.error();
}

async function navigate(event, url) {
  let response;
  try {
    response = await fetch(event.request);
  } catch (error) {
    return (await keptCopy(url.pathname)) || (await offlinePage());
  }
  event.waitUntil(remember(url, response.clone()));
  return response;
}

/* What a page's answer teaches the worker: its language, and whether to keep it. */
async function remember(url, response) {
  const language = response.headers.get("Content-Language");
  if (language) await rememberLanguage(language);
  if (response.type === "opaqueredirect") {
    // A kept page's address sending the browser elsewhere: its reader is signed out.
    if (await kept(url.pathname)) await forgetPages(null);
    return;
  }
  if (!response.ok) return;
  if (response.headers.get(CONFIG.offlineHeader) === CONFIG.private) {
    if (url.search) return;
    const cacheName = PAGES_CACHE_PREFIX + (response.headers.get(CONFIG.ownerHeader) || "unknown");
    await forgetPages(cacheName); // anyone else's pages go
    await (await caches.open(cacheName)).put(url.pathname, response);
    return;
  }
  // The address now shows something not to keep (no account, say): forget its copy.
  for (const name of await pageCaches()) await (await caches.open(name)).delete(url.pathname);
}

async function pageCaches() {
  return (await caches.keys()).filter((name) => name.startsWith(PAGES_CACHE_PREFIX));
}

async function kept(path) {
  for (const name of await pageCaches()) {
    const found = await (await caches.open(name)).match(path, { ignoreSearch: true, ignoreVary: true });
    if (found) return found;
  }
  return null;
}

async function keptCopy(path) {
  const found = await kept(path);
  if (!found) return null;
  const html = (await found.text()).replace(CONFIG.noticeHidden, CONFIG.noticeShown);
  const headers = new Headers(found.headers);
  headers.delete("Content-Length");
  return new Response(html, { status: 200, statusText: "OK", headers });
}

async function forgetPages(except) {
  for (const name of await caches.keys()) {
    if (name.startsWith(PAGES) && name !== except) await caches.delete(name);
  }
}

/* The offline page in the language of the last page shown (or the browser's). */
let language = null;

function languageCode(value) {
  const code = String(value || "").split(/[-_,;]/)[0].trim().toLowerCase();
  return Object.hasOwn(CONFIG.offlinePages, code) ? code : null;
}

async function rememberLanguage(value) {
  const code = languageCode(value);
  if (!code || code === language) return;
  language = code;
  await (await caches.open(STATE_CACHE)).put(LANGUAGE_KEY, new Response(code));
}

async function offlinePage() {
  if (!language) {
    const saved = await (await caches.open(STATE_CACHE)).match(LANGUAGE_KEY);
    language = languageCode(saved ? await saved.text() : self.navigator.language);
  }
  const address = CONFIG.offlinePages[language || CONFIG.defaultLanguage];
  return (await (await caches.open(SHELL_CACHE)).match(address)) || Response.error();
}

/* Push: {title, body, url, tag}, all strings; url a path on this site. */
self.addEventListener("push", (event) => {
  const message = pushMessage(event.data);
  const options = { body: message.body, icon: CONFIG.notificationIcon, data: { url: message.url } };
  if (message.tag) {
    options.tag = message.tag;
    options.renotify = true;
  }
  event.waitUntil(self.registration.showNotification(message.title, options));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const data = event.notification.data || {};
  const target = new URL(sitePath(data.url), self.location.origin).href;
  event.waitUntil(showInPortal(target));
});

function pushMessage(data) {
  let payload = null;
  try {
    payload = data ? data.json() : null;
  } catch (error) {
    payload = null;
  }
  const text = (value) => (typeof value === "string" ? value : "");
  const given = payload && typeof payload === "object" ? payload : {};
  return {
    title: text(given.title) || CONFIG.appName,
    body: text(given.body),
    url: sitePath(given.url),
    tag: text(given.tag),
  };
}

/* A path on this site ("/billing/"); the home page for anything else. */
function sitePath(value) {
  if (typeof value !== "string" || !value.startsWith("/")) return "/";
  const url = new URL(value, self.location.origin);
  return url.origin === self.location.origin ? url.pathname + url.search + url.hash : "/";
}

/* Focus a portal window already showing target, or show it in another portal window,
 * or open a new one. */
async function showInPortal(target) {
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  const portal = windows.filter((client) => {
    const url = new URL(client.url);
    return url.origin === self.location.origin && !leftAlone(url.pathname);
  });
  const showing = portal.find((client) => client.url === target);
  if (showing) return showing.focus();
  for (const client of portal) {
    try {
      const focused = await client.focus();
      return await focused.navigate(target);
    } catch (error) {
      // Not controlled by this worker (it can't be sent elsewhere): try the next one.
    }
  }
  return self.clients.openWindow(target);
}
