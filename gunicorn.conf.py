"""gunicorn's settings for production: `gunicorn diaspora_site.wsgi` reads this file
from the working directory. Every value can be changed through the environment."""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Two processes per core is gunicorn's usual advice; each holds its own database
# connection (CONN_MAX_AGE) and renders pages on one thread.
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "sync"
# The load balancer or CDN in front buffers slow clients, which sync workers need.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
# Recycle workers now and then, so a slow leak can never grow without bound.
max_requests = 20000
max_requests_jitter = 2000
# Load the app before forking: workers share its memory, and a broken setting
# (a missing SECRET_KEY...) stops the start with one clear message.
preload_app = True
# Proxies whose X-Forwarded-Proto gunicorn believes (comma-separated addresses).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# No access log here: request paths can carry personal links (unsubscribe, cancel)
# and search terms. The load balancer keeps access logs if they are wanted.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
