"""Challenge threads as pages show them, and the open challenges waiting for a reply."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, Q

from .. import scope
from ..models import Comment, CommentKind, Recommendation
from .actions import TimelineEntry


@dataclass
class Thread:
    challenge: Comment
    replies: list = field(default_factory=list)
    can_reply: bool = False

    @property
    def is_open(self):
        return not self.replies


def comments_on(obj) -> list[Comment]:
    """The challenges and replies on an action or recommendation, oldest first (one query)."""
    key = "action" if hasattr(obj, "description") else "recommendation"
    return list(Comment.objects.filter(**{key: obj}).select_related("author").order_by("created_at", "id"))


def threads_for(obj, *, user, comments: list[Comment] | None = None) -> list[Thread]:
    """Each challenge on an action or recommendation with its replies, oldest first.

    Pass `comments` (from comments_on) when the page also shows them in its timeline, to read them once.
    """
    threads, by_challenge = [], {}
    may_reply = scope.can_reply(user, obj)
    for comment in comments_on(obj) if comments is None else comments:
        if comment.kind == CommentKind.CHALLENGE:
            by_challenge[comment.pk] = Thread(challenge=comment)
            threads.append(by_challenge[comment.pk])
        elif comment.in_reply_to_id in by_challenge:
            by_challenge[comment.in_reply_to_id].replies.append(comment)
    for thread in threads:
        thread.can_reply = may_reply and thread.is_open
    return threads


def timeline_entries(comments: list[Comment]) -> list[TimelineEntry]:
    """Challenges and replies as entries of the action's timeline ("Challenge" / "Reply")."""
    return [
        TimelineEntry(
            at=comment.created_at,
            kind=comment.kind,
            title=comment.get_kind_display(),
            by=comment.author,
            text=comment.text,
            comment_pk=comment.pk,
        )
        for comment in comments
    ]


def with_comments(timeline: list, comments: list[Comment]) -> list:
    """The timeline with the object's challenges and replies (from comments_on) merged in, newest first."""
    # Newest first already, so that a reply written in the same second as its challenge still comes above it.
    entries = timeline_entries(comments)[::-1]
    return sorted([*timeline, *entries], key=lambda entry: entry.at, reverse=True)


def open_challenges_for(user):
    """Challenges waiting for this user's reply, oldest first: for their My work."""
    return (
        scope.challenges_answerable_by(user)
        .open_challenges()
        .select_related("author", "action__recommendation__inspection", "recommendation__inspection")
        .order_by("created_at", "id")
    )


# How long an answered challenge stays on its author's My work.
ANSWERED_SHOWN_DAYS = 30


def challenges_raised_by(user, *, now: dt.datetime) -> list[Comment]:
    """The challenges the user asked that wait for a reply or were answered in the last
    ANSWERED_SHOWN_DAYS days, on what they can still see: for their My work, so that whoever
    challenges sees the answer without going back to each action. Those answered come first,
    newest answer first, then those waiting, longest waiting first; each has `answer`, its
    reply or None.

    One query for a user who raised none (most people); three for one who did: the challenges,
    their replies with authors, and which of them are on something the user can still see (a
    director who moves region no longer sees the old one's actions). Asking the last of every
    user cost the PDU leader's home 5 ms of compiling the scope's subqueries."""
    replies = Comment.objects.filter(in_reply_to=OuterRef("pk"))
    since = now - dt.timedelta(days=ANSWERED_SHOWN_DAYS)
    challenges = list(
        Comment.objects.challenges()
        .filter(author=user)
        .filter(~Exists(replies) | Exists(replies.filter(created_at__gte=since)))
        .select_related("action__recommendation__inspection", "recommendation__inspection")
        .prefetch_related(Prefetch("replies", queryset=Comment.objects.select_related("author").order_by("id")))
        .order_by("created_at", "id")
    )
    if not challenges:
        return []
    visible = set(
        Comment.objects.filter(pk__in=[challenge.pk for challenge in challenges])
        .filter(
            Q(action__in=scope.actions_visible_to(user)) | Q(recommendation__in=scope.recommendations_visible_to(user))
        )
        .values_list("pk", flat=True)
    )
    raised = [challenge for challenge in challenges if challenge.pk in visible]
    for challenge in raised:
        challenge.answer = next(iter(challenge.replies.all()), None)
    answered = sorted(
        (challenge for challenge in raised if challenge.answer),
        key=lambda challenge: (challenge.answer.created_at, challenge.answer.pk),
        reverse=True,
    )
    return answered + [challenge for challenge in raised if challenge.answer is None]


def open_challenges_on(*, units):
    """Open challenges on the actions of `units` and the recommendations addressed to them, oldest
    first: what a dashboard counts, and the list its count opens."""
    return (
        Comment.objects.open_challenges()
        .filter(Q(action__unit__in=units) | Q(recommendation__in=Recommendation.objects.addressed_to_any(units)))
        .order_by("created_at", "id")
    )


def open_challenge_count(*, units) -> int:
    """How many open challenges there are on `units` (open_challenges_on): for dashboards."""
    return open_challenges_on(units=units).order_by().count()


def open_challenges_page(*, units):
    """open_challenges_on with what the list shows of each: who asked, and what they challenged."""
    return open_challenges_on(units=units).select_related(
        "author",
        "action__owner",
        "action__unit",
        "action__recommendation__inspection",
        "recommendation__inspection",
        "recommendation__addressed_to",
    )
