"""The rows behind the serving-the-people figures name a person's column 姓名 (a person's name)
and a unit's column 名称 (the name of a thing), in every language."""

from django.utils import translation

from concerns.indicators import PERSON_COLUMNS, UNIT_COLUMNS


def test_a_persons_name_column_is_a_persons_name_and_a_units_is_a_name():
    for language, person, unit in (("zh-hans", "姓名", "名称"), ("bo", "མིང་།", "མིང་།"), ("en", "Name", "Name")):
        with translation.override(language):
            assert (str(PERSON_COLUMNS[0].label), str(UNIT_COLUMNS[0].label)) == (person, unit), language
