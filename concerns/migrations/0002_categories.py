"""The standard concern categories and their time limits (days to respond, days to resolve).
The office may change the limits later; the catalogue starts with these."""

from django.db import migrations

CATEGORIES = [
    ("交通出行", "འགྲུལ་བཞུད།", "Getting around", 3, 30),
    ("停车", "རླངས་འཁོར་འཇོག་ས།", "Parking", 3, 30),
    ("环境卫生", "ཁོར་ཡུག་གཙང་སྦྲ།", "Sanitation and environment", 2, 15),
    ("住房", "སྡོད་ཁང་།", "Housing", 5, 60),
    ("就业增收", "ལས་ཞུགས་དང་ཡོང་འབབ།", "Jobs and income", 5, 45),
    ("医疗卫生", "སྨན་བཅོས་འཕྲོད་བསྟེན།", "Health care", 3, 30),
    ("教育", "སློབ་གསོ།", "Education", 5, 45),
    ("社会保障", "སྤྱི་ཚོགས་འགན་ལེན།", "Social security", 5, 30),
    ("水电暖", "ཆུ་དང་གློག་དང་དྲོད་འདྲེན།", "Water, power and heating", 1, 10),
    ("农牧业", "ཞིང་འབྲོག་ལས་རིགས།", "Farming and herding", 5, 60),
    ("其他", "གཞན།", "Other", 5, 30),
]


def add(apps, schema_editor):
    ConcernCategory = apps.get_model("concerns", "ConcernCategory")
    for order, (zh, bo, en, respond, resolve) in enumerate(CATEGORIES, start=1):
        ConcernCategory.objects.get_or_create(
            name_zh=zh,
            defaults={"name_bo": bo, "name_en": en, "response_days": respond, "resolution_days": resolve, "order": order},
        )


class Migration(migrations.Migration):
    dependencies = [("concerns", "0001_initial")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
