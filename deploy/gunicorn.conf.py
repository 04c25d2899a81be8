"""gunicorn settings for Kinerja (deploy/systemd/kinerja.service starts it with this file).

Sync workers, one more than the cores: with threads the kiosk submit's p99 was ten times worse
(bench/README.md). Bound to loopback: nginx in front terminates TLS (deploy/nginx/kinerja.conf).
"""
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() + 1))
worker_class = "sync"
timeout = 120  # a large PDF or workbook made in the request; longer work runs as a job
graceful_timeout = 30
max_requests = 2000  # a worker is replaced now and then: no slow leak lives for months
max_requests_jitter = 200
# The app writes one JSON line per request itself (LOG_FORMAT=json); gunicorn's access log
# would be a second, less careful one (it prints query strings).
accesslog = None
errorlog = "-"
forwarded_allow_ips = "127.0.0.1,::1"


def child_exit(server, worker):
    # Prometheus counters of a worker that ended stay counted; its live gauges go.
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess
        multiprocess.mark_process_dead(worker.pid)
