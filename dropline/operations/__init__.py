"""Operating Dropline: the ``/metrics`` page a Prometheus server scrapes (request
latency from every web process, the broker's queues, the notification outbox, bill runs
in progress and usage ingest). An edge: it reads the domain apps, nothing imports it
but the URLconf."""
