"""The help centre: shipped articles (``library``), Markdown made safe (``rendering``),
staff drafts and publishing (``publishing``), full-text search over the published text
(``search``, its index kept by ``indexing``), "was this helpful?" (``feedback``) and the
reads (``queries``)."""
