"""Production settings pass Django's deployment checks."""

import os
import subprocess
import sys

from django.conf import settings


def test_check_deploy_is_clean_under_production_settings(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "xuejiao.settings",
        "XUEJIAO_VAR_DIR": str(tmp_path),
        "XUEJIAO_SECRET_KEY": "x" * 20 + "-production-secret-key-with-enough-entropy-0123456789",
        "XUEJIAO_DEBUG": "0",
        "XUEJIAO_SECURE_COOKIES": "1",
        "XUEJIAO_SSL_REDIRECT": "1",
        "XUEJIAO_HSTS_SECONDS": "31536000",
        "XUEJIAO_BEHIND_TLS_PROXY": "1",
        "XUEJIAO_ALLOWED_HOSTS": "xuejiao.example.org",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
