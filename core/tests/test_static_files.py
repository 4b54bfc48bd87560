"""Every static file a template names exists: production serves static files through a
manifest, where a missing file is a server error on every page that names it."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

ROOT = Path(settings.BASE_DIR)
NAMED = sorted(
    {
        (str(template.relative_to(ROOT)), name)
        for template in ROOT.glob("*/templates/**/*.html")
        if ".venv" not in template.parts
        for name in re.findall(r"""{%\s*static\s+['"]([^'"]+)['"]""", template.read_text(encoding="utf-8"))
    }
)


def test_templates_name_static_files():
    assert len(NAMED) > 10


@pytest.mark.parametrize(("template", "name"), NAMED)
def test_every_static_file_a_template_names_exists(template, name):
    assert finders.find(name), f"{template} names {name}, which no app provides"
