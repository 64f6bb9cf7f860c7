"""Challenge threads: those overseeing a plan question an action or a recommendation, the owner replies.

Kept apart from the progress log: a challenge is not progress, so it never moves the
owner's "last updated" date nor any status.
"""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef
from simple_history.models import HistoricalRecords

from .actions import Action
from .inspections import Recommendation


class CommentKind(models.TextChoices):
    CHALLENGE = "challenge", "Challenge"
    REPLY = "reply", "Reply"


class CommentQuerySet(models.QuerySet):
    def challenges(self):
        return self.filter(kind=CommentKind.CHALLENGE)

    def open_challenges(self):
        """Challenges the owner has not yet replied to."""
        replies = Comment.objects.filter(in_reply_to=OuterRef("pk"))
        return self.challenges().exclude(Exists(replies))


class Comment(models.Model):
    """A challenge on an action or a recommendation, or the reply to one."""

    action = models.ForeignKey(Action, null=True, blank=True, on_delete=models.CASCADE, related_name="comments")
    recommendation = models.ForeignKey(
        Recommendation, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    kind = models.CharField(max_length=10, choices=CommentKind.choices)
    in_reply_to = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    text = models.TextField()

    objects = CommentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["action", "created_at"], name="comment_action_created"),
            models.Index(fields=["recommendation", "created_at"], name="comment_rec_created"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(action__isnull=False, recommendation__isnull=True)
                | models.Q(action__isnull=True, recommendation__isnull=False),
                name="comment_on_one_thing",
            ),
            models.CheckConstraint(
                condition=models.Q(kind=CommentKind.CHALLENGE, in_reply_to__isnull=True)
                | models.Q(kind=CommentKind.REPLY, in_reply_to__isnull=False),
                name="comment_reply_answers_a_challenge",
            ),
            models.CheckConstraint(condition=~models.Q(text=""), name="comment_needs_text"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} by {self.author} on {self.created_at:%d %b %Y}"

    @property
    def subject(self):
        return self.action or self.recommendation
