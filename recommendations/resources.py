"""Spreadsheet import and export of recommendations in the admin.

Actions are imported on the service's own page (recommendations.plan_spreadsheet), which makes
every change through the domain services.

django-import-export gives a preview before anything is written and reports errors row
by row with their line numbers. Every import here commits all rows or none: one bad
row (a missing unit, an impossible date, a broken rule) stops the whole file.
"""

import re
import tempfile
import time
import uuid
from pathlib import Path

from django.core.exceptions import ObjectDoesNotExist, SuspiciousOperation, ValidationError
from import_export import fields, resources
from import_export.tmp_storages import TempFolderStorage
from import_export.widgets import ForeignKeyWidget

from .exports.csv_plan import neutralise_formula
from .models import Inspection, OrgUnit, Recommendation
from .services import published, responses


class LookupWidget(ForeignKeyWidget):
    """A foreign key looked up by a readable field, with a message that names what was not found."""

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except (ObjectDoesNotExist, ValueError, TypeError) as exc:
            raise ValueError(f"No {self.model._meta.verbose_name} has the {self.field} “{value}”.") from exc


class SpreadsheetSafeResource(resources.ModelResource):
    """Every exported cell that a spreadsheet would run as a formula is written as text.

    The service's own downloads follow the same rule (neutralise_formula); this brings
    the admin's CSV and XLSX exports under it, whatever model they export.
    """

    def export_field(self, field, instance, **kwargs):
        return neutralise_formula(super().export_field(field, instance, **kwargs))


class AllOrNothingResource(SpreadsheetSafeResource):
    """Roll the whole import back when any row is invalid, not only when one raises an error."""

    def import_data(self, dataset, **kwargs):
        kwargs["use_transactions"] = True
        kwargs["rollback_on_validation_errors"] = True
        return super().import_data(dataset, **kwargs)

    def before_save_instance(self, instance, row, **kwargs):
        # The history records who imported the row, from the admin or the command line.
        if kwargs.get("user") is not None:
            instance._history_user = kwargs["user"]


class ImportUploadStorage(TempFolderStorage):
    """Where an uploaded spreadsheet waits between the preview and the confirmation.

    The confirmation form sends the file's name back, so the name is checked: only a
    name this class made, in its own private folder, is ever read or removed.
    """

    FOLDER = Path(tempfile.gettempdir()) / "tracker-imports"
    NAME = re.compile(r"[0-9a-f]{32}")
    # A preview nobody confirmed is removed this long after its upload (at the next upload).
    ABANDONED_AFTER_SECONDS = 60 * 60

    def get_full_path(self):
        if not self.NAME.fullmatch(self.name or ""):
            raise SuspiciousOperation("Import file name not made by this service.")
        return str(self.FOLDER / self.name)

    def save(self, data: bytes):
        self.FOLDER.mkdir(mode=0o700, exist_ok=True)
        self.remove_abandoned()
        self.name = uuid.uuid4().hex
        with open(self.get_full_path(), "xb") as handle:
            handle.write(data)

    @classmethod
    def remove_abandoned(cls) -> int:
        """Remove the files of previews left unconfirmed for longer than ABANDONED_AFTER_SECONDS."""
        cutoff = time.time() - cls.ABANDONED_AFTER_SECONDS
        removed = 0
        for path in cls.FOLDER.glob("*"):
            if cls.NAME.fullmatch(path.name) and path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
                removed += 1
        return removed

    def _open(self, mode="r"):
        encoding = None if "b" in mode else self.encoding
        return open(self.get_full_path(), mode, encoding=encoding)  # noqa: SIM115 (the caller closes it)


class RecommendationResource(AllOrNothingResource):
    inspection = fields.Field(
        attribute="inspection", column_name="inspection_id", widget=LookupWidget(Inspection, "pk")
    )
    addressed_to = fields.Field(
        attribute="addressed_to", column_name="addressed_to", widget=LookupWidget(OrgUnit, "slug")
    )

    def import_instance(self, instance, row, **kwargs):
        recorded = (instance.response, instance.response_rationale) if instance.pk else ("", "")
        super().import_instance(instance, row, **kwargs)
        # A changed response obeys the rule the pages do, and is recorded through the same service.
        instance.response_changed = (instance.response, instance.response_rationale) != recorded
        if instance.response_changed:
            try:
                responses.check_response(response=instance.response, rationale=instance.response_rationale)
            except ValidationError as error:
                raise ValidationError(
                    {
                        "response_rationale" if field == "rationale" else field: m
                        for field, m in error.message_dict.items()
                    }
                ) from error

    def save_instance(self, instance, is_create, row, **kwargs):
        answered = getattr(instance, "response_changed", False)
        if not is_create and not answered:
            super().save_instance(instance, is_create, row, **kwargs)
        else:
            by = kwargs.get("user")
            self.before_save_instance(instance, row, **kwargs)
            if is_create:
                # Created as the report import creates it, then answered like any other.
                created = published.record_recommendation(
                    inspection=instance.inspection,
                    number=instance.number,
                    text=instance.text,
                    addressees=[instance.addressed_to],
                    by=by,
                )
                instance.pk, instance._state.adding = created.pk, False
            if answered:
                responses.set_response(
                    recommendation=instance, response=instance.response, rationale=instance.response_rationale, by=by
                )
            self.after_save_instance(instance, row, **kwargs)
        # A corrected first addressee joins the addressees.
        published.include_first_addressee(instance)

    class Meta:
        model = Recommendation
        fields = ("id", "inspection", "number", "addressed_to", "text", "response", "response_rationale")
        import_id_fields = ("inspection", "number")
        skip_unchanged = True
        report_skipped = True
        use_transactions = True
        clean_model_instances = True
