"""Challenge threads on actions and recommendations.

A challenge and its reply are comments, not progress: neither touches the action's status,
its owner's rating or its "last updated" date. Permission checks live in
recommendations.scope (can_challenge, can_reply) and are made by the views.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .models import Action, Comment, CommentKind, Recommendation


def _subject(obj) -> dict:
    if isinstance(obj, Action):
        return {"action": obj}
    if isinstance(obj, Recommendation):
        return {"recommendation": obj}
    raise TypeError(f"Only actions and recommendations can be challenged, not {type(obj).__name__}")


@transaction.atomic
def challenge(*, on, by, text: str) -> Comment:
    """Question an action or a recommendation; the owner is asked to reply."""
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Enter your challenge"})
    comment = Comment(kind=CommentKind.CHALLENGE, author=by, created_at=timezone.now(), text=text, **_subject(on))
    comment._history_user = by
    comment.save()
    return comment


@transaction.atomic
def reply(*, to: Comment, by, text: str) -> Comment:
    """Answer a challenge; the challenge is then no longer open."""
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Enter your reply"})
    challenge_ = Comment.objects.select_for_update().get(pk=to.pk)
    if challenge_.kind != CommentKind.CHALLENGE:
        raise ValidationError("Only a challenge can be replied to.")
    if challenge_.replies.exists():
        raise ValidationError("This challenge has already been answered. Add a new challenge to take it further.")
    comment = Comment(
        kind=CommentKind.REPLY,
        in_reply_to=challenge_,
        author=by,
        created_at=timezone.now(),
        text=text,
        action_id=challenge_.action_id,
        recommendation_id=challenge_.recommendation_id,
    )
    comment._history_user = by
    comment.save()
    return comment
