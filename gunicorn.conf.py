"""The production web server's settings: `gunicorn -c gunicorn.conf.py`.

Chosen so that pages keep answering while some clients are slow or greedy
(letter PDFs replayed by many clients, clients trickling a request a byte at
a time), and so that a long download such as a million-row signatures.csv is
never cut. Each value can be changed from the environment without editing
this file.
"""

import multiprocessing
import os

wsgi_app = "app:create_app()"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Threaded workers. A sync worker serves one connection at a time, so eight
# slow clients can occupy every worker; here each thread holds at most one,
# and a connection that has sent nothing yet waits in the worker's poller
# rather than in a thread. Two processes per core use both cores past the
# GIL; eight threads each cover the time a request waits on PostgreSQL,
# Redis or a slow client.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", 8))
# Open connections per worker, kept-alive ones included, beyond which new
# ones wait in the listen backlog instead of costing memory.
worker_connections = 200

# For a threaded worker this is a heartbeat: its main loop reports alive
# while its threads serve, so it restarts a worker that is stuck, never one
# that is streaming a long export. (A sync worker's timeout is per request,
# which is what cut the export at 30 s.)
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
# On a restart, requests in flight get this long to finish.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", 30))
# Seconds an idle kept-alive connection is held open: enough for a browser's
# next request, short enough that idle connections do not pile up.
keepalive = 5

# Requests are small: the longest URL is a token link, the largest header
# the session cookie with the sealed letter draft (under 2 kB). Anything far
# larger is refused with a 4xx before the app sees it.
limit_request_line = 2048
limit_request_fields = 50
limit_request_field_size = 8190

# Workers are replaced after this many requests (at staggered moments), so
# memory a long-lived process gathers (font caches of the PDF renderer)
# cannot grow without bound.
max_requests = 5000
max_requests_jitter = 500

# No access log: URLs of the emailed links carry private tokens. Errors go to
# stderr through the app's own redacting logging.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
