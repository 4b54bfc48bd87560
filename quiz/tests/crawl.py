"""Inside and outside values of the quiz pages' URL parameters for a persona: the Lhasa
test quiz and the persona's own attempt inside; Shigatse's quiz and a Shigatse taker's
attempt outside. The bank is shared by the platform: no question is outside."""

from orgs.models import Account
from quiz import services
from quiz.models import Question
from quiz.tests.factories import attempt_for, ensure_bank, open_quiz, taker_in


def quiz_id(account: Account, inside: bool):
    return open_quiz("540100" if inside else "540200").pk


def attempt_id(account: Account, inside: bool):
    if inside:
        if account.unit_id is None:
            return None
        return attempt_for(services.taker_for_account(account), open_quiz("540100")).pk
    return attempt_for(taker_in("540202", "外市答题人"), open_quiz("540200")).pk


def question_id(account: Account, inside: bool):
    if not inside:
        return None
    ensure_bank()
    return Question.objects.order_by("pk").values_list("pk", flat=True).first()


PARAMS = {"quiz_id": quiz_id, "attempt_id": attempt_id, "question_id": question_id}
