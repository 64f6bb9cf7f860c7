"""Challenge threads: directors question an action or a recommendation, owners reply."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from recommendations import challenges, scope
from recommendations.models import Comment
from recommendations.selectors.challenges import open_challenge_count, open_challenges_for
from tests.web_world import build_world, queries_for

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 6, 15, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def world():
    return build_world()


def test_a_challenge_never_moves_the_owners_last_update_or_status(world):
    action = world.action
    before = (action.last_update_at, action.status, action.version, action.self_rag)
    challenge = challenges.challenge(on=action, by=world.director, text="Where is the audit?")
    challenges.reply(to=challenge, by=world.leader, text="Attached on Friday")
    action.refresh_from_db()
    assert (action.last_update_at, action.status, action.version, action.self_rag) == before
    assert not action.updates.exists()


def test_a_challenge_is_open_until_the_owner_replies(world):
    challenge = challenges.challenge(on=world.action, by=world.director, text="Where is the audit?")
    assert list(open_challenges_for(world.leader)) == [challenge]
    assert open_challenge_count(units=[world.pdu]) == 1
    challenges.reply(to=challenge, by=world.leader, text="Attached on Friday")
    assert not open_challenges_for(world.leader).exists()
    assert open_challenge_count(units=[world.pdu]) == 0
    with pytest.raises(ValidationError):
        challenges.reply(to=challenge, by=world.leader, text="Again")


def test_an_empty_challenge_is_refused(world):
    with pytest.raises(ValidationError):
        challenges.challenge(on=world.action, by=world.director, text="   ")


def test_who_challenges_and_who_replies(world):
    assert scope.can_challenge(world.director, world.action)
    assert scope.can_challenge(world.director, world.recommendation)
    assert not scope.can_challenge(world.leader, world.action)
    assert not scope.can_challenge(world.director, world.national_action)  # HMPPS items are HMPPS's to challenge
    assert scope.can_challenge(world.viewer, world.national_action)
    assert scope.can_challenge(world.viewer, world.national_recommendation)
    assert not scope.can_challenge(world.viewer, world.action)
    assert scope.can_reply(world.leader, world.action)
    assert scope.can_reply(world.leader, world.recommendation)
    assert not scope.can_reply(world.other_leader, world.action)
    assert not scope.can_reply(world.director, world.action)
    assert scope.can_reply(world.national_editor, world.national_recommendation)


def test_open_challenges_on_recommendations_reach_the_units_leader(world):
    challenge = challenges.challenge(on=world.recommendation, by=world.director, text="Why only partly agreed?")
    assert list(open_challenges_for(world.leader)) == [challenge]
    assert not open_challenges_for(world.other_leader).exists()
    national = challenges.challenge(on=world.national_recommendation, by=world.viewer, text="Staffing figures?")
    assert list(open_challenges_for(world.national_editor)) == [national]


def test_the_timeline_shows_challenge_and_reply_and_my_work_lists_the_open_one(client, world):
    client.force_login(world.director)
    page = reverse("recommendations:action_detail", args=[world.action.pk])
    assert "Challenge</a>" in client.get(page).content.decode()
    response = client.post(
        reverse("recommendations:action_challenge", args=[world.action.pk]), {"text": "Where is the audit?"}
    )
    assert response.status_code == 302
    challenge = Comment.objects.get()

    client.force_login(world.leader)
    home = client.get(reverse("recommendations:home")).content.decode()
    assert "Open challenges (1)" in home and "Where is the audit?" in home
    reply_url = reverse("recommendations:challenge_reply", args=[challenge.pk])
    assert reply_url in client.get(page).content.decode()
    assert "Enter your reply" in client.post(reply_url, {"text": ""}).content.decode()
    client.post(reply_url, {"text": "Attached on Friday"})
    html = client.get(page).content.decode()
    timeline = html.split('class="moj-timeline"')[1]
    assert '<h3 class="moj-timeline__title">Reply</h3>' in timeline
    assert '<h3 class="moj-timeline__title">Challenge</h3>' in timeline
    assert timeline.index("Attached on Friday") < timeline.index("Where is the audit?")  # newest first
    assert "Open challenges (0)" in client.get(reverse("recommendations:home")).content.decode()


def test_only_those_allowed_may_challenge_or_reply(client, world):
    challenge = challenges.challenge(on=world.action, by=world.director, text="Where is the audit?")
    client.force_login(world.leader)
    assert client.get(reverse("recommendations:action_challenge", args=[world.action.pk])).status_code == 403
    client.force_login(world.other_leader)
    assert client.get(reverse("recommendations:challenge_reply", args=[challenge.pk])).status_code == 404
    client.force_login(world.director)
    assert client.get(reverse("recommendations:challenge_reply", args=[challenge.pk])).status_code == 403


def test_the_dashboard_counts_open_challenges(client, world):
    challenges.challenge(on=world.action, by=world.director, text="Where is the audit?")
    client.force_login(world.director)
    html = client.get(reverse("recommendations:regional_dashboard", args=[world.region.slug])).content.decode()
    challenges_url = reverse("recommendations:open_challenges") + f"?region={world.region.slug}"
    link = f'<a class="govuk-link govuk-!-font-weight-bold" href="{challenges_url}">1<'
    assert f"Open challenges waiting for the owner's reply: {link}" in html


def test_the_dashboards_count_opens_the_list_of_the_challenges_it_counts(client, world):
    on_action = challenges.challenge(on=world.action, by=world.director, text="Where is the audit?")
    challenges.challenge(on=world.recommendation, by=world.director, text="Why only partly agreed?")
    answered = challenges.challenge(on=world.action, by=world.director, text="And the training?")
    challenges.reply(to=answered, by=world.leader, text="Booked for July")
    client.force_login(world.director)
    listed = client.get(reverse("recommendations:open_challenges"), {"region": world.region.slug})
    html = listed.content.decode()
    assert listed.status_code == 200
    assert "2 in all" in html and html.count('data-label="Challenged"') == 2
    assert "Where is the audit?" in html and "Why only partly agreed?" in html
    assert "And the training?" not in html
    assert html.index("Where is the audit?") < html.index("Why only partly agreed?")  # the longest waiting first
    assert reverse("recommendations:action_detail", args=[on_action.action_id]) in html
    assert reverse("recommendations:recommendation_detail", args=[world.recommendation.pk]) in html


def test_the_open_challenges_list_shows_only_what_the_user_may_see(client, world):
    challenges.challenge(on=world.action, by=world.director, text="Where is the audit?")
    client.force_login(world.far_leader)
    html = client.get(reverse("recommendations:open_challenges")).content.decode()
    assert "Where is the audit?" not in html and "No challenge is waiting for a reply." in html
    assert client.get(reverse("recommendations:open_challenges"), {"region": "no-such-region"}).status_code == 404


def test_the_open_challenges_list_reads_the_same_number_of_queries_however_many_there_are(
    client, world, django_assert_max_num_queries
):
    client.force_login(world.director)
    url = reverse("recommendations:open_challenges")
    challenges.challenge(on=world.action, by=world.director, text="One")
    with django_assert_max_num_queries(8) as one:
        client.get(url)
    for n in range(5):
        challenges.challenge(on=world.recommendation, by=world.director, text=f"More {n}")
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(url)


def _my_work(client, user):
    client.force_login(user)
    return client.get(reverse("recommendations:home")).content.decode()


def test_whoever_challenges_sees_on_my_work_that_it_waits_and_then_the_answer(client, world, _frozen_clock):
    assert "Your challenges" not in _my_work(client, world.director)  # none raised: no section
    challenge = challenges.challenge(on=world.action, by=world.director, text="Where is the audit?")
    home = _my_work(client, world.director)
    assert "Your challenges (1)" in home and "Where is the audit?" in home and "Waiting for a reply" in home

    _frozen_clock.shift(dt.timedelta(days=2))
    challenges.reply(to=challenge, by=world.leader, text="Attached on Friday")
    home = _my_work(client, world.director)
    assert "Your challenges (1)" in home and "Waiting for a reply" not in home
    assert "Answered" in home and "Della Derby replied" in home and "Attached on Friday" in home
    # The owner's list: nothing waits for their reply, and they raised nothing.
    owner = _my_work(client, world.leader)
    assert "Open challenges (0)" in owner and "Your challenges" not in owner


def test_an_answer_leaves_my_work_after_30_days_and_a_waiting_challenge_stays(client, world, _frozen_clock):
    answered = challenges.challenge(on=world.action, by=world.director, text="Where is the audit?")
    challenges.reply(to=answered, by=world.leader, text="Attached on Friday")
    challenges.challenge(on=world.recommendation, by=world.director, text="Is this realistic?")
    _frozen_clock.shift(dt.timedelta(days=31))
    home = _my_work(client, world.director)
    assert "Your challenges (1)" in home and "Is this realistic?" in home
    assert "Attached on Friday" not in home


def test_my_work_lists_only_the_users_own_challenges_on_what_they_can_see(client, world):
    challenges.challenge(on=world.action, by=world.director, text="Where is the audit?")
    challenges.challenge(on=world.national_action, by=world.viewer, text="Who pays for this?")
    home = _my_work(client, world.director)
    assert "Where is the audit?" in home and "Who pays for this?" not in home
    # A director moved to another region no longer sees the action, nor their challenge on it.
    world.director.unit = world.far_pdu.parent
    world.director.save()
    assert "Your challenges" not in _my_work(client, world.director)


def test_my_work_reads_the_same_number_of_queries_however_many_challenges_the_user_raised(
    client, world, django_assert_num_queries
):
    first = challenges.challenge(on=world.action, by=world.director, text="One")
    challenges.reply(to=first, by=world.leader, text="Answer one")
    client.force_login(world.director)
    url = reverse("recommendations:home")
    client.get(url)
    one = queries_for(client, url)
    for n in range(5):
        raised = challenges.challenge(on=world.recommendation, by=world.director, text=f"More {n}")
        if n % 2:
            challenges.reply(to=raised, by=world.leader, text=f"Answer {n}")
    with django_assert_num_queries(one):
        html = client.get(url).content.decode()
    assert "Your challenges (6)" in html
