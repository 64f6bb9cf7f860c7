"""The published-data fixture (fixtures/inspections.json); the demo fixture's tests are in test_fixtures_demo.py.

The published data must say exactly what the Inspectorate's documents say: every recommendation
text is checked, word for word, against its source document in shared/seeds.
"""

import os
import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings

from recommendations.models import (
    Inspection,
    KeyQuestionResult,
    OrgUnit,
    Recommendation,
    StandardRating,
    Theme,
)
from tests.conftest import skip_or_fail

SEEDS = Path(os.environ.get("SEEDS_DIR", Path(settings.BASE_DIR).parent / "shared" / "seeds"))

DERBY_CITY_2023 = "An inspection of probation services: Derby City PDU"
DERBYSHIRE_2025 = "An inspection of probation services: Derbyshire PDU"
LLR_2023 = "An inspection of probation services: Leicester, Leicestershire and Rutland PDU"
REGIONAL_REVIEW = "Regional review: Probation Service – East Midlands"
DERBYSHIRE_2016 = "Quality & Impact inspection: The effectiveness of probation work in Derbyshire"


def normalise(text):
    return re.sub(r"\s+", " ", text).strip()


def source_text(inspection):
    """The text of the seed document an inspection names in its source_document."""
    filename = inspection.source_document.split(" ", 1)[0]
    path = SEEDS / filename
    if not path.exists():
        skip_or_fail(f"source documents not found at {SEEDS} (set SEEDS_DIR to the folder of the seed documents)")
    return path.read_text(encoding="utf-8")


def inspection(title):
    return Inspection.objects.get(title=title)


def rec(title, number):
    return Recommendation.objects.get(inspection__title=title, number=number)


# --------------------------------------------------------------------------- units and themes


def test_units(published):
    units = {u.slug: u for u in OrgUnit.objects.all()}
    hmpps, region = units["hmpps"], units["east-midlands"]
    assert hmpps.kind == "national" and hmpps.parent is None
    assert region.name == "Probation Service – East Midlands"
    assert region.kind == "region" and region.parent == hmpps
    for slug in ("derby-city", "derbyshire", "leicester-leicestershire-rutland"):
        assert units[slug].kind == "pdu"
        assert units[slug].parent == region
        assert not units[slug].is_legacy
    assert units["leicester-leicestershire-rutland"].short_name == "LLR"
    assert (units["dnlr-crc"].kind, units["dnlr-crc"].successor) == ("crc", region)
    assert (units["nps-midlands"].kind, units["nps-midlands"].successor) == ("nps_division", region)
    assert (units["noms"].kind, units["noms"].successor) == ("noms", hmpps)
    assert {u.slug for u in OrgUnit.objects.filter(is_legacy=True)} == {"dnlr-crc", "nps-midlands", "noms"}
    assert all(u.slug and u.short_name for u in units.values())


def test_themes(published):
    slugs = set(Theme.objects.values_list("slug", flat=True))
    assert {
        "risk-of-harm",
        "management-oversight",
        "staffing",
        "diversity",
        "unpaid-work",
        "information-sharing",
        "interventions",
        "training",
        "communication",
    } <= slugs
    for recommendation in Recommendation.objects.prefetch_related("themes"):
        assert 1 <= recommendation.themes.count() <= 3, recommendation


# --------------------------------------------------------------------------- inspections


def test_inspections(published):
    assert Inspection.objects.count() == 5
    derby = inspection(DERBY_CITY_2023)
    assert (derby.kind, derby.unit.slug) == ("pdu", "derby-city")
    assert (derby.overall_rating, derby.score, derby.score_out_of) == ("requires_improvement", 11, 27)
    assert str(derby.published_on) == "2023-02-09"
    assert str(derby.fieldwork_start) == "2022-11-21"
    assert derby.lead_inspector.startswith("Leon Bonas")

    derbyshire = inspection(DERBYSHIRE_2025)
    assert (derbyshire.kind, derbyshire.unit.slug) == ("pdu", "derbyshire")
    assert (derbyshire.overall_rating, derbyshire.score, derbyshire.score_out_of) == ("inadequate", 2, 21)
    assert str(derbyshire.fieldwork_start) == "2025-02-24"
    assert derbyshire.lead_inspector.startswith("Joy Wilson")

    llr = inspection(LLR_2023)
    assert (llr.kind, llr.unit.short_name, llr.overall_rating) == ("pdu", "LLR", "inadequate")
    assert llr.score is None  # not given in the regional letter
    assert llr.source_document.startswith("004_")

    review = inspection(REGIONAL_REVIEW)
    assert (review.kind, review.unit.slug) == ("regional_review", "east-midlands")
    assert str(review.published_on) == "2023-02-09"  # dated 2022 on its face; published 2023
    assert not review.recommendations.exists()
    assert set(review.related_inspections.all()) == {derby, llr}
    assert review in derby.related_inspections.all()

    quality = inspection(DERBYSHIRE_2016)
    assert (quality.kind, quality.unit.slug) == ("quality_impact", "east-midlands")
    assert quality.published_on.year == 2016
    assert quality.overall_rating == "" and quality.score is None

    for each in Inspection.objects.all():
        assert each.title and each.summary and each.published_on and each.source_document
        assert each.next_inspection_expected is None
        assert each.source_document.split(" ", 1)[0] in {
            "000_d51354b6beb8521a.txt",
            "002_04b030c368706142.txt",
            "003_d394e03e7355b754.txt",
            "004_5ed0f05c7870f5b3.txt",
        }


@pytest.mark.parametrize(
    ("title", "code", "name", "rating"),
    [
        (DERBY_CITY_2023, "1.1", "Leadership", "requires_improvement"),
        (DERBY_CITY_2023, "1.2", "Staff", "good"),
        (DERBY_CITY_2023, "2.2", "Assessment", "inadequate"),
        (DERBY_CITY_2023, "2.5", "Reviewing", "requires_improvement"),
        (DERBYSHIRE_2025, "1.1", "Leadership", "inadequate"),
        (DERBYSHIRE_2025, "1.2", "Staffing", "requires_improvement"),
        (DERBYSHIRE_2025, "2.4", "Reviewing", "inadequate"),
        (LLR_2023, "1.2", "Staff", "inadequate"),
        (LLR_2023, "1.3", "Services", "requires_improvement"),
        (LLR_2023, "2.1", "Court work", "inadequate"),
        (LLR_2023, "2.3", "Planning", "inadequate"),
    ],
)
def test_standard_ratings(published, title, code, name, rating):
    standard = StandardRating.objects.get(inspection__title=title, code=code)
    assert (standard.name, standard.rating) == (name, rating)


def test_standard_rating_counts(published):
    counts = Counter(StandardRating.objects.values_list("inspection__title", flat=True))
    assert counts == {DERBY_CITY_2023: 9, DERBYSHIRE_2025: 7, LLR_2023: 9}


@pytest.mark.parametrize(
    ("title", "question", "percentage", "code"),
    [
        (
            DERBY_CITY_2023,
            "Is the pre-sentence information and advice provided to court sufficiently analytical and personalised "
            "to the individual, supporting the court's decision-making?",
            "50",
            "2.1",
        ),
        (DERBY_CITY_2023, "Does assessment focus sufficiently on keeping other people safe?", "40", "2.2"),
        (DERBY_CITY_2023, "Does planning focus sufficiently on keeping other people safe?", "51", "2.3"),
        (DERBY_CITY_2023, "Does reviewing focus sufficiently on keeping other people safe?", "49", "2.5"),
        (
            DERBY_CITY_2023,
            "Do early outcomes demonstrate that reasonable progress has been made, in line with the personalised "
            "needs of the person on probation?",
            "53",
            None,
        ),
        (DERBYSHIRE_2025, "Does assessment focus sufficiently on keeping other people safe?", "34", "2.1"),
        (
            DERBYSHIRE_2025,
            "Is the sentence or post-custody period implemented effectively with a focus on engaging the person on "
            "probation?",
            "79",
            "2.3",
        ),
        (DERBYSHIRE_2025, "Does reviewing focus sufficiently on supporting desistance?", "55", "2.4"),
    ],
)
def test_key_questions(published, title, question, percentage, code):
    result = KeyQuestionResult.objects.get(inspection__title=title, question=question)
    assert result.percentage == Decimal(percentage)
    assert (result.standard.code if result.standard else None) == code


def test_key_question_counts_and_texts(published):
    counts = Counter(KeyQuestionResult.objects.values_list("inspection__title", flat=True))
    assert counts == {DERBY_CITY_2023: 14, DERBYSHIRE_2025: 12}
    for result in KeyQuestionResult.objects.select_related("inspection"):
        source = normalise(source_text(result.inspection))
        # Markdown tables print "question | 40%", tab-separated ones "question 40%".
        printed = {f"{result.question} | {result.percentage:.0f}%", f"{result.question} {result.percentage:.0f}%"}
        assert any(form in source for form in printed), result.question


# --------------------------------------------------------------------------- recommendations


def test_recommendation_numbers(published):
    assert Recommendation.objects.count() == 39
    numbers = {}
    for title, number in Recommendation.objects.values_list("inspection__title", "number"):
        numbers.setdefault(title, []).append(number)
    assert {title: sorted(n) for title, n in numbers.items()} == {
        DERBY_CITY_2023: list(range(1, 9)),
        DERBYSHIRE_2025: list(range(1, 7)),
        LLR_2023: list(range(1, 14)),
        DERBYSHIRE_2016: list(range(1, 13)),
    }


@pytest.mark.parametrize(
    ("title", "numbers", "slug"),
    [
        (DERBY_CITY_2023, range(1, 5), "derby-city"),
        (DERBY_CITY_2023, range(5, 8), "east-midlands"),
        (DERBY_CITY_2023, [8], "hmpps"),
        (DERBYSHIRE_2025, range(1, 7), "derbyshire"),
        (LLR_2023, range(1, 9), "leicester-leicestershire-rutland"),
        (LLR_2023, range(9, 12), "east-midlands"),
        (LLR_2023, [12, 13], "hmpps"),
        (DERBYSHIRE_2016, range(1, 8), "dnlr-crc"),  # 1 is to the CRC and NPS jointly: recorded on the CRC
        (DERBYSHIRE_2016, range(8, 11), "nps-midlands"),
        (DERBYSHIRE_2016, [11, 12], "noms"),
    ],
)
def test_addressees(published, title, numbers, slug):
    addressees = Recommendation.objects.filter(inspection__title=title, number__in=list(numbers))
    assert len(addressees) == len(list(numbers))
    assert {r.addressed_to.slug for r in addressees} == {slug}


def test_addressee_totals(published):
    counts = Counter(Recommendation.objects.values_list("addressed_to__slug", flat=True))
    assert counts == {
        "derby-city": 4,
        "derbyshire": 6,
        "leicester-leicestershire-rutland": 8,
        "east-midlands": 6,
        "hmpps": 3,
        "dnlr-crc": 7,
        "nps-midlands": 3,
        "noms": 2,
    }


@pytest.mark.parametrize(
    ("title", "number", "text"),
    [
        (
            DERBY_CITY_2023,
            1,
            "improve the quality of risk of harm assessments and analysis ensuring all available information is "
            "accessed and utilised",
        ),
        (
            DERBY_CITY_2023,
            4,
            "ensure appropriate management information is available to analyse and consider any potential "
            "disproportionality in the quality of service delivery to people on probation from black, Asian and "
            "minority ethnic backgrounds.",
        ),
        (
            DERBY_CITY_2023,
            8,
            "ensure the East Midlands region are sufficiently staffed to deliver necessary services and undertake "
            "public protection responsibilities.",
        ),
        (
            DERBYSHIRE_2025,
            2,
            "develop practitioners' confidence and skills in the use of professional curiosity and challenging "
            "conversations to identify, analyse, assess, plan, and respond to indicators of risk effectively",
        ),
        (
            DERBYSHIRE_2025,
            6,
            "fully take into account the views of people on probation to inform service development.",
        ),
        (
            LLR_2023,
            8,
            "ensure that there is a blended offer in place of face-to-face and in-person training, and that delivery "
            "of training is prioritised to enhance the skills or the workforce.",
        ),
        (
            LLR_2023,
            13,
            "improve the support to sites assessed as 'red' under the prioritisation framework, in particular "
            "through additional resourcing.",
        ),
        (
            DERBYSHIRE_2016,
            1,
            "make sure that all staff are familiar with the escalation process and that decisions relating to "
            "escalation are transparent and recorded.",
        ),
        (
            DERBYSHIRE_2016,
            12,
            "make sure the IT interfaces between CRC's and NOMS's systems do not hinder CRC operations.",
        ),
    ],
)
def test_recommendation_exact_text(published, title, number, text):
    assert rec(title, number).text == text


def test_every_recommendation_is_verbatim_in_its_source(published):
    for recommendation in Recommendation.objects.select_related("inspection"):
        text = recommendation.text
        assert text == normalise(text), f"{recommendation}: stray whitespace"
        assert not re.match(r"^[-•\d]", text), f"{recommendation}: leading number or bullet kept"
        assert recommendation.response == ""
        source = normalise(source_text(recommendation.inspection))
        assert text in source, f"{recommendation} not found verbatim in {recommendation.inspection.source_document}"
        # The number printed before it is the recommendation's own number. (The text extraction of the
        # Derbyshire 2025 report lost the "2." before its second recommendation.)
        if not (recommendation.inspection.title == DERBYSHIRE_2025 and recommendation.number == 2):
            assert f"{recommendation.number}. {text}" in source, recommendation
