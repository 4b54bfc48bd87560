import os

from django.core.wsgi import get_wsgi_application

from xuejiao.var import prepare

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xuejiao.settings")
prepare()  # the data directory and the generated secret key, before the settings load
application = get_wsgi_application()
