"""Shared pieces for the report-import tests: the seed documents and the published fixture."""

import json
import os
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

from tests.conftest import skip_or_fail

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "inspections.json"
SEEDS = Path(os.environ.get("SEEDS_DIR", Path(settings.BASE_DIR).parent / "shared" / "seeds"))


def seed_bytes(filename: str) -> bytes:
    path = SEEDS / filename
    if not path.exists():
        skip_or_fail(f"source documents not found at {SEEDS} (set SEEDS_DIR to the folder of the seed documents)")
    return path.read_bytes()


def fixture_records(model: str) -> list[dict]:
    records = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return [{"pk": r["pk"], **r["fields"]} for r in records if r["model"] == f"recommendations.{model}"]


def load_fixture_units(tmp_path):
    """Only the organisation units of the published fixture: no inspections at all."""
    records = json.loads(FIXTURE.read_text(encoding="utf-8"))
    units = tmp_path / "units.json"
    units.write_text(json.dumps([r for r in records if r["model"] == "recommendations.orgunit"]), encoding="utf-8")
    # loaddata, unlike saving rows one by one, moves the id sequences past the loaded rows.
    call_command("loaddata", str(units), verbosity=0)
