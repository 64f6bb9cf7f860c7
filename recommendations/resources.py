"""Spreadsheet import and export of recommendations and actions in the admin.

django-import-export gives a preview before anything is written, reports errors row
by row with their line numbers, and (with transactions on) commits all rows or none.
"""

from import_export import fields, resources
from import_export.widgets import DateWidget, ForeignKeyWidget

from .models import Action, Inspection, OrgUnit, Recommendation, User


class RecommendationResource(resources.ModelResource):
    inspection = fields.Field(
        attribute="inspection", column_name="inspection_id", widget=ForeignKeyWidget(Inspection, "pk")
    )
    addressed_to = fields.Field(
        attribute="addressed_to", column_name="addressed_to", widget=ForeignKeyWidget(OrgUnit, "slug")
    )

    class Meta:
        model = Recommendation
        fields = ("id", "inspection", "number", "addressed_to", "text", "response", "response_rationale")
        import_id_fields = ("inspection", "number")
        skip_unchanged = True
        report_skipped = True
        use_transactions = True
        clean_model_instances = True


class ActionResource(resources.ModelResource):
    recommendation = fields.Field(
        attribute="recommendation", column_name="recommendation_id", widget=ForeignKeyWidget(Recommendation, "pk")
    )
    unit = fields.Field(attribute="unit", column_name="unit", widget=ForeignKeyWidget(OrgUnit, "slug"))
    owner = fields.Field(attribute="owner", column_name="owner", widget=ForeignKeyWidget(User, "username"))
    start_date = fields.Field(attribute="start_date", column_name="start_date", widget=DateWidget("%Y-%m-%d"))
    due_date = fields.Field(attribute="due_date", column_name="due_date", widget=DateWidget("%Y-%m-%d"))

    class Meta:
        model = Action
        fields = (
            "id",
            "recommendation",
            "description",
            "owner",
            "unit",
            "success_measure",
            "start_date",
            "due_date",
            "status",
            "self_rag",
        )
        skip_unchanged = True
        report_skipped = True
        use_transactions = True
        clean_model_instances = True

    def before_save_instance(self, instance, row, **kwargs):
        # A new action's original due date is the one it is imported with; later
        # changes to the due date go through a revision with a reason, not an import.
        if instance.pk is None and instance.due_date and not instance.original_due_date:
            instance.original_due_date = instance.due_date
