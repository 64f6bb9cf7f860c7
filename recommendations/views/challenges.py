"""Challenging an action or a recommendation, and the owner's reply."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from .. import challenges, scope
from ..forms.plan_sign_off import ChallengeForm, ReplyForm
from ..models import Comment, OrgUnit, UnitKind
from ..selectors.actions import get_visible_action
from ..selectors.challenges import open_challenges_page
from ..selectors.recommendations import get_visible_recommendation
from .form_pages import ServiceFormView

CHALLENGES_PER_PAGE = 50


@require_safe
def open_challenges(request):
    """The open challenges a dashboard counts: on the units the user sees, or those of ?region=."""
    region = None
    if slug := request.GET.get("region"):
        region = get_object_or_404(OrgUnit, slug=slug, kind=UnitKind.REGION)
    listed = open_challenges_page(units=scope.units_seen_in(request.user, region))
    page = Paginator(listed, CHALLENGES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "challenges/open_challenges.html", {"page": page, "region": region})


class ChallengeView(ServiceFormView):
    form_class = ChallengeForm
    template_name = "challenges/challenge_form.html"
    button_text = "Send challenge"
    success_message = "Challenge sent. The owner is asked to reply."

    def allowed(self):
        return scope.can_challenge(self.request.user, self.object)

    def perform(self, form):
        challenges.challenge(on=self.object, by=self.request.user, text=form.cleaned_data["text"])

    def context(self):
        return {"subject": self.object, "subject_url": self.success_url()}


class ChallengeActionView(ChallengeView):
    heading = "Challenge this action"

    def load(self, pk):
        return get_visible_action(user=self.request.user, pk=pk)

    def success_url(self):
        return reverse("recommendations:action_detail", args=[self.object.pk])


class ChallengeRecommendationView(ChallengeView):
    heading = "Challenge the response to this recommendation"

    def load(self, pk):
        return get_visible_recommendation(user=self.request.user, pk=pk)

    def success_url(self):
        return reverse("recommendations:recommendation_detail", args=[self.object.pk])


class ReplyView(ServiceFormView):
    form_class = ReplyForm
    template_name = "challenges/challenge_form.html"
    heading = "Reply to the challenge"
    button_text = "Send reply"
    success_message = "Reply sent."

    def load(self, pk):
        comment = get_object_or_404(Comment.objects.challenges().select_related("author"), pk=pk)
        # The challenge is seen only by those who see what it is about.
        if comment.action_id:
            comment.action = get_visible_action(user=self.request.user, pk=comment.action_id)
        else:
            comment.recommendation = get_visible_recommendation(user=self.request.user, pk=comment.recommendation_id)
        return comment

    def allowed(self):
        return scope.can_reply(self.request.user, self.object.subject)

    def perform(self, form):
        challenges.reply(to=self.object, by=self.request.user, text=form.cleaned_data["text"])

    def success_url(self):
        if self.object.action_id:
            return reverse("recommendations:action_detail", args=[self.object.action_id])
        return reverse("recommendations:recommendation_detail", args=[self.object.recommendation_id])

    def context(self):
        return {"subject": self.object.subject, "subject_url": self.success_url(), "challenge": self.object}
