"""Settings for the test suite: production settings, with static files served by name
(no collectstatic manifest needed) and fast, quiet background tasks."""

from xuejiao.settings import *  # noqa: F403  (a settings variant: all of production's, then changes)
from xuejiao.settings import SECRET_KEY, STORAGES

# pytest loads the settings without manage.py: no key is generated for a checkout's var/.
SECRET_KEY = SECRET_KEY or "a key for the test suite only, never for a server"

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
WHITENOISE_AUTOREFRESH = True
# Each test process keeps its own cache, emptied with the process.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "default"},
    "ratelimit": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ratelimit"},
}
