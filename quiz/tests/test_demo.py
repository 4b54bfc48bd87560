import datetime

from django.utils import timezone

from core.seeding import CAMPAIGN_END, CAMPAIGN_START
from orgs.models import Account
from quiz import demo, services
from quiz.choices import QuestionStatus
from quiz.indicators import BY_CODE
from quiz.models import Attempt, Question


def test_the_demo_quiz_reads_20000_participants_for_lhasa_and_an_open_quiz_for_the_participant(demo_foundation):
    """Builds the demo's Lhasa and quiz on its own: the point is the demo's figures."""
    ctx = demo_foundation
    city = ctx.made["city"]
    demo.build(ctx)
    assert Question.objects.filter(status=QuestionStatus.PUBLISHED).count() >= 300
    participants = BY_CODE["quiz.participants"]
    assert participants.value(city, CAMPAIGN_START, CAMPAIGN_END) == 20_000
    assert participants.rows(city, CAMPAIGN_START, CAMPAIGN_END).count() == 20_000
    assert Attempt.objects.filter(flagged_fast=True).count() == demo.FLAGGED
    assert 60 < BY_CODE["quiz.pass_rate"].value(city, CAMPAIGN_START, CAMPAIGN_END) < 100
    # Spread over the city's counties, in proportion to members.
    by_county = dict(participants.by_children(city, CAMPAIGN_START, CAMPAIGN_END))
    assert all(by_county[c] > 500 for c in by_county if c.kind == "county")
    # The open quiz can be taken today by the demo's participant.
    open_quiz = ctx.made["quiz_open"]
    now = timezone.now()
    assert open_quiz.opens_at < now < open_quiz.closes_at - datetime.timedelta(days=300)
    taker = services.taker_for_account(Account.objects.get(username="participant"))
    attempt = services.start_attempt(quiz=open_quiz, taker=taker)
    assert len(attempt.paper) == sum(demo.OPEN_QUOTAS.values())
