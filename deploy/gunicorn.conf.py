"""gunicorn settings for production (deploy/systemd/advocacy-web.service, deploy/ci-production-leg).

The bind address, worker count and timeout come from the environment (WEB_BIND, WEB_CONCURRENCY,
WEB_TIMEOUT_SECONDS). With PROMETHEUS_MULTIPROC_DIR set (core.metrics), a worker that exits leaves
its metric files behind; mark it dead so its gauges stop counting.
"""

import os

bind = os.environ.get("WEB_BIND", "unix:/run/advocacy-portal/gunicorn.sock")
workers = int(os.environ.get("WEB_CONCURRENCY", "4"))
timeout = int(os.environ.get("WEB_TIMEOUT_SECONDS", "60"))
graceful_timeout = 30
# Recycle workers now and then so a slow leak never grows unbounded.
max_requests = 2000
max_requests_jitter = 200
# nginx is the only client (a unix socket or 127.0.0.1); logs go to the journal as JSON from Django.
accesslog = None
forwarded_allow_ips = os.environ.get("WEB_FORWARDED_ALLOW_IPS", "127.0.0.1")


def child_exit(server, worker) -> None:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)


def when_ready(server) -> None:
    """With --preload the master has imported the portal: load the privacy guard's rules, name lists
    and scorer weights there once, so every forked worker shares them instead of paying the load on
    its first post check."""
    if server.cfg.preload_app:
        from campaigns.privacy_guard import privacy_scan

        privacy_scan("The guard loads its rules on the first scan.")
