import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "diaspora_site.settings.production")

django_application = get_wsgi_application()

# Cached pages are answered here, before Django builds a request (pagecache/middleware.py).
from pagecache.middleware import CachedPagesApp  # noqa: E402  (needs the settings above)

application = CachedPagesApp(django_application)
