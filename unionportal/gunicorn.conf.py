"""gunicorn settings for unionportal (production and the load test).

    gunicorn -c unionportal/gunicorn.conf.py unionportal.wsgi

Sized for the 2-core machines the portal runs on: a few processes (one per core, plus one so
a core never idles while another process waits on PostgreSQL) with a few threads each, since
most of a request's time is spent waiting for the database. Each thread keeps one database
connection (CONN_MAX_AGE), so workers x threads must stay well under PostgreSQL's
max_connections (100 by default): 3 x 4 = 12.

Every value can be overridden by an environment variable (GUNICORN_BIND, GUNICORN_WORKERS,
GUNICORN_THREADS, GUNICORN_TIMEOUT, GUNICORN_KEEPALIVE, GUNICORN_ACCESSLOG) or on the command line.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() + 1))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# A request that takes longer than this is killed (the worker restarts); dashboards and
# exports of a whole federation finish well within it. Big imports run as background tasks.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
# Seconds an idle keep-alive connection stays open (a proxy in front usually keeps its own).
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Recycle workers now and then, so a slow leak cannot grow without bound.
max_requests = 5000
max_requests_jitter = 500
# Each worker opens its own database connections after the fork (no preload): sharing a
# connection across processes corrupts it.
preload_app = False
# Spreadsheets are uploaded in the request body; the size limit is Django's (settings).
limit_request_line = 8190
accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None  # "-" for stdout
# No query string and no Referer in the access log: a member search by CCCD (`?q=0010...`) and
# the page it came from would put citizen ID numbers into every log file. The path, method,
# status, size, user agent and time stay. `%(h)s` is the client's address behind the trusted
# proxy (unionportal.net.ClientAddressMiddleware rewrites REMOTE_ADDR in the same environ).
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s "%(a)s" %(M)sms'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
proc_name = "unionportal"
# Behind a TLS-terminating proxy on the same host, trust its X-Forwarded-* headers only.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
