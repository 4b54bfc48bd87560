"""A flag's detail becomes a message code and its parameters, put into words in the reader's
language when shown. The details stored before (short English-like strings such as
"+75 d" or "participants 30,000 > 40") are read back into codes and parameters; one that
no pattern reads keeps its text as the parameter ``text``, which is shown as it was."""

import re

from django.db import migrations, models


def _int(text):
    return int(text.replace(",", ""))


DATE = r"(\d{4}-\d\d-\d\d)"
# check code -> [(pattern, message code or None for "<check>.<first group>", parameters from groups)]
PATTERNS = {
    "activity.future_date": [(rf"^{DATE} > {DATE}$", "", lambda g: {"date": g[0], "entered": g[1]})],
    "activity.late_entry": [(r"^\+(-?\d+) d$", "", lambda g: {"days": int(g[0])})],
    "activity.outside_campaign": [
        (rf"^{DATE} ∉ {DATE}…{DATE}$", "", lambda g: {"date": g[0], "start": g[1], "end": g[2]})
    ],
    "activity.too_many_people": [
        (r"^(\d+) > (\d+) × (\d+)$", "", lambda g: {"participants": int(g[0]), "people": int(g[1]), "sessions": int(g[2])})
    ],
    "activity.venue_capacity": [(r"^(\d+) > (\d+)$", "", lambda g: {"per_session": int(g[0]), "capacity": int(g[1])})],
    "activity.unusual_counts": [
        (r"^(sessions|participants|copies) ([\d,]+) > ([\d,]+)$", None, lambda g: {"value": _int(g[1]), "usual": _int(g[2])})
    ],
    "activity.duplicate": [(r"^= #(\d+)$", "", lambda g: {"original": g[0]})],
    "activity.burst": [(rf"^{DATE} (\d\d:\d\d)$", "", lambda g: {"date": g[0], "time": g[1]})],
    "activity.same_counts": [(r"^(\d+) × (\d+)$", "", lambda g: {"rows": int(g[0]), "participants": int(g[1])})],
    "activity.no_evidence": [(r"^0?$", "", lambda g: {})],
    "measure.dates_out_of_order": [
        (rf"^(done|verified|closed) {DATE} < set {DATE}$", "measure", lambda g: {"date": g[1], "set_on": g[2]}),
        (rf"^verified {DATE} < done {DATE}$", "measure.verified_before_done", lambda g: {"date": g[0], "done_on": g[1]}),
    ],
    "meeting.unusual_attendance": [(r"^([\d,]+) > ([\d,]+)$", "", lambda g: {"count": _int(g[0]), "usual": _int(g[1])})],
    "concern.fast_resolution": [(r"^(-?\d+) d$", "", lambda g: {"days": int(g[0])})],
    "concern.no_evidence": [(r"^—?$", "", lambda g: {})],
    "concern.callback_by_resolver": [(r"^(.+)$", "", lambda g: {"account": g[0]})],
    "attempt.too_fast": [(r"^([\d.]+) s/q$", "", lambda g: {"seconds": float(g[0])})],
    "attempt.same_answers": [(r"^(\d+) ×$", "", lambda g: {"attempts": int(g[0])})],
}


def read_detail(check_code, text):
    """(message code, parameters) of a detail stored as text by the check ``check_code``."""
    for pattern, code, params in PATTERNS.get(check_code, []):
        match = re.match(pattern, text or "")
        if not match:
            continue
        groups = match.groups()
        if code is None:
            code = f"{check_code}.{groups[0]}"
        elif code == "measure":
            code = f"measure.{groups[0]}_before_set"
        elif code == "":
            code = check_code
        return code, params(groups)
    return "", {"text": text or ""}


def forwards(apps, schema_editor):
    Flag = apps.get_model("quality", "Flag")
    batch = []
    for flag in Flag.objects.select_related("check_item").only("pk", "detail", "check_item__code").iterator(2000):
        flag.detail_code, flag.detail_params = read_detail(flag.check_item.code, flag.detail)
        batch.append(flag)
        if len(batch) >= 2000:
            Flag.objects.bulk_update(batch, ["detail_code", "detail_params"])
            batch = []
    Flag.objects.bulk_update(batch, ["detail_code", "detail_params"])


def backwards(apps, schema_editor):
    Flag = apps.get_model("quality", "Flag")
    batch = []
    for flag in Flag.objects.only("pk", "detail_code", "detail_params").iterator(2000):
        params = flag.detail_params or {}
        flag.detail = str(params.get("text", "")) if not flag.detail_code else " ".join(map(str, params.values()))
        batch.append(flag)
    Flag.objects.bulk_update(batch, ["detail"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [
        ("quality", "0003_unusual_counts"),
    ]

    operations = [
        migrations.AddField(
            model_name="flag",
            name="detail_code",
            field=models.CharField(blank=True, max_length=60, verbose_name="detail"),
        ),
        migrations.AddField(
            model_name="flag",
            name="detail_params",
            field=models.JSONField(blank=True, default=dict, verbose_name="detail's values"),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(
            model_name="flag",
            name="detail",
        ),
    ]
