"""Bulk writes must not bypass the history: every user-facing write to a history-tracked model
goes through save() (or simple_history's bulk_create_with_history / bulk_update_with_history)."""

import re
from pathlib import Path

from django.apps import apps

from recommendations.resources import RecommendationResource

ROOT = Path(__file__).resolve().parent.parent
APPS = ["recommendations", "reporting", "reminders"]
# Not user-facing: test-data generation for benchmarks (its module says it fills no history),
# the backup/restore (which copies the history tables themselves), and migrations.
EXEMPT = ("bench/scale_data/", "recommendations/backup.py", "/migrations/")
BULK_CALL = re.compile(r"\.(update|bulk_create|bulk_update|delete)\(")


def _tracked_model_names():
    names = set()
    for model in apps.get_models():
        if hasattr(model, "history") and not model.__name__.startswith("Historical"):
            names.add(model.__name__)
    return names


def test_the_models_under_history_are_the_plan_and_its_published_data():
    assert {"Action", "Evidence", "ProgressUpdate", "Recommendation", "Inspection"} <= _tracked_model_names()


def test_no_bulk_write_to_a_history_tracked_model_outside_the_history_aware_helpers():
    tracked = "|".join(sorted(_tracked_model_names()))
    statement = re.compile(rf"\b({tracked})\.(objects|_default_manager|_base_manager)\b")
    offenders = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if any(part in relative for part in EXEMPT):
                continue
            # One logical statement at a time, so that a chained call over several lines is caught.
            source = path.read_text()
            for chunk in re.split(r"\n(?=\S)|\n\s*\n", source):
                if statement.search(chunk) and BULK_CALL.search(chunk) and "with_history" not in chunk:
                    offenders.append(f"{relative}: {chunk.strip().splitlines()[0][:120]}")
    assert not offenders, "Bulk writes that would skip the history:\n" + "\n".join(offenders)


def test_spreadsheet_imports_save_row_by_row_so_each_row_has_history():
    assert not RecommendationResource._meta.use_bulk, "RecommendationResource would import without history rows"
