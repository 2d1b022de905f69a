"""The connection check: what Dropline knows about an account's connection (``facts``,
read by ``gather``), the one answer it leads to (``diagnose``) and that answer in words
(``words``)."""
