"""The portal as an installable app: manifest, service worker, offline page, the pages
kept for offline reading, and clearing the browser's caches at sign-out."""
