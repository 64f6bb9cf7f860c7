"""The service's pages. Each view module holds one area of the service."""

from django.urls import path

from .views import (
    action_pages,
    action_plan,
    challenges,
    dashboards,
    evidence,
    history,
    home,
    inspections,
    plan_import,
    plans,
    recommendation_pages,
    static_pages,
)

app_name = "recommendations"

urlpatterns = [
    path("", home.home, name="home"),
    path("accessibility/", static_pages.accessibility_statement, name="accessibility"),
    path("favicon.ico", static_pages.favicon, name="favicon"),
    # Inspections and recommendations
    path("inspections/", inspections.inspection_list, name="inspection_list"),
    path("inspections/<int:pk>/", inspections.inspection_detail, name="inspection_detail"),
    path("recommendations/", recommendation_pages.recommendation_list, name="recommendation_list"),
    path("recommendations/<int:pk>/", recommendation_pages.recommendation_detail, name="recommendation_detail"),
    path(
        "recommendations/<int:pk>/response/",
        recommendation_pages.SetResponseView.as_view(),
        name="recommendation_response",
    ),
    path(
        "recommendations/<int:pk>/actions/new/",
        recommendation_pages.NewActionView.as_view(),
        name="action_create",
    ),
    # Actions
    path("actions/<int:pk>/", action_pages.action_detail, name="action_detail"),
    path("actions/<int:pk>/progress/", action_pages.LogProgressView.as_view(), name="action_log_progress"),
    path("actions/<int:pk>/complete/", action_pages.MarkCompleteView.as_view(), name="action_complete"),
    path("actions/<int:pk>/due-date/", action_pages.ReviseDueDateView.as_view(), name="action_revise_due_date"),
    path(
        "actions/<int:pk>/due-date/propose/",
        action_pages.ProposeDueDateView.as_view(),
        name="action_propose_due_date",
    ),
    path(
        "due-date-proposals/<int:pk>/decide/",
        action_pages.DecideDueDateView.as_view(),
        name="due_date_proposal_decide",
    ),
    path("actions/<int:pk>/edit/", action_pages.EditActionView.as_view(), name="action_edit"),
    path("actions/<int:pk>/verify/", action_pages.VerifyActionView.as_view(), name="action_verify"),
    path("actions/<int:pk>/return/", action_pages.ReturnActionView.as_view(), name="action_return"),
    path("actions/<int:pk>/cancel/", action_pages.CancelActionView.as_view(), name="action_cancel"),
    path("actions/<int:pk>/reopen/", action_pages.ReopenActionView.as_view(), name="action_reopen"),
    # Evidence
    path("actions/<int:pk>/evidence/new/", evidence.AddEvidenceView.as_view(), name="evidence_add"),
    path("evidence/<int:pk>/withdraw/", evidence.WithdrawEvidenceView.as_view(), name="evidence_withdraw"),
    path("evidence/<int:pk>/download/", evidence.download_evidence, name="evidence_download"),
    # Change history
    path("actions/<int:pk>/history/", history.action_history_page, name="action_history"),
    path("recommendations/<int:pk>/history/", history.recommendation_history_page, name="recommendation_history"),
    # A unit's response plan to an inspection: drafting and sign-off
    path("plans/<int:inspection>/<slug:unit>/", plans.plan_detail, name="response_plan"),
    path("plans/<int:inspection>/<slug:unit>/submit/", plans.SubmitPlanView.as_view(), name="response_plan_submit"),
    path("plans/<int:inspection>/<slug:unit>/sign-off/", plans.SignOffView.as_view(), name="response_plan_sign_off"),
    path(
        "plans/<int:inspection>/<slug:unit>/recommendations/<int:rec>/response/",
        plans.DraftResponseView.as_view(),
        name="response_plan_response",
    ),
    path(
        "plans/<int:inspection>/<slug:unit>/recommendations/<int:rec>/actions/new/",
        plans.DraftActionView.as_view(),
        name="response_plan_action_create",
    ),
    path(
        "plans/<int:inspection>/<slug:unit>/actions/<int:action>/edit/",
        plans.EditDraftActionView.as_view(),
        name="response_plan_action_edit",
    ),
    # Challenges and replies
    path("actions/<int:pk>/challenge/", challenges.ChallengeActionView.as_view(), name="action_challenge"),
    path(
        "recommendations/<int:pk>/challenge/",
        challenges.ChallengeRecommendationView.as_view(),
        name="recommendation_challenge",
    ),
    path("challenges/", challenges.open_challenges, name="open_challenges"),
    path("challenges/<int:pk>/reply/", challenges.ReplyView.as_view(), name="challenge_reply"),
    # The action plan and dashboards
    path("plan/", action_plan.action_plan, name="action_plan"),
    path("plan/columns/", action_plan.choose_columns, name="action_plan_columns"),
    path("plan/download.csv", action_plan.action_plan_csv, name="action_plan_csv"),
    path("plan/import/", plan_import.plan_import, name="plan_import"),
    path("plan/import/template.<str:file_format>", plan_import.plan_template, name="plan_template"),
    path("plan/import/export.<str:file_format>", plan_import.plan_export, name="plan_export"),
    path("dashboards/", dashboards.dashboard, name="dashboard"),
    path("dashboards/national/", dashboards.national_dashboard, name="national_dashboard"),
    path("dashboards/region/<slug:slug>/", dashboards.regional_dashboard, name="regional_dashboard"),
]
