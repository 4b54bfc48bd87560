"""The office's starting list of finding categories (it may add more)."""

from django.db import migrations

CATEGORIES = [
    ("conviction", "理想信念", "རེ་འདུན་དང་ཡིད་ཆེས།", "Political conviction"),
    ("discipline", "政治纪律", "ཆབ་སྲིད་སྒྲིག་ཁྲིམས།", "Discipline"),
    ("learning", "学习教育", "སློབ་སྦྱོང་དང་སློབ་གསོ།", "Study"),
    ("style", "工作作风", "ལས་ཀའི་ཉམས་འགྱུར།", "Work style"),
    ("service", "为民服务", "མང་ཚོགས་ལ་ཞབས་ཞུ།", "Serving the people"),
    ("role", "担当作为", "འགན་ཁུར་དང་བྱ་སྤྱོད།", "Taking responsibility"),
]


def add(apps, schema_editor):
    FindingCategory = apps.get_model("orglife", "FindingCategory")
    for order, (code, zh, bo, en) in enumerate(CATEGORIES, start=1):
        FindingCategory.objects.update_or_create(
            code=code, defaults={"name_zh": zh, "name_bo": bo, "name_en": en, "order": order}
        )


def remove(apps, schema_editor):
    apps.get_model("orglife", "FindingCategory").objects.filter(code__in=[c[0] for c in CATEGORIES]).delete()


class Migration(migrations.Migration):
    dependencies = [("orglife", "0001_initial")]
    operations = [migrations.RunPython(add, remove)]
