"""The units a report names, found among the existing ones or proposed as new ones.

A name matches a unit by its name, short name, slug or one of its stored aliases
(``OrgUnit.aliases``, edited in the admin), ignoring case, punctuation, "the", a trailing
"region"/"PDU", and an abbreviation in brackets ("HM Prison and Probation Service (HMPPS)").
A name several units are known by (a generic "Community Rehabilitation Company") matches the
one the report names in full, or none.
"""

import re
from dataclasses import dataclass

from django.utils.text import slugify

from ..models import OrgUnit
from ..models.choices import UnitKind
from .rules import joint_addressees

# What a national body the database does not have yet is created as.
NATIONAL_NAME, NATIONAL_SHORT = "HM Prison and Probation Service", "HMPPS"


def normalise(name: str) -> str:
    text = name.lower().replace("&", " and ").replace("’", "'")
    text = re.sub(r"[–—-]", " ", text)
    text = re.sub(r"[^\w\s]", "", text)
    text = re.sub(r"^the\s+", "", " ".join(text.split()))
    return text


def name_variants(name: str) -> set[str]:
    """The forms under which a printed name may be known."""
    bracketed = re.findall(r"\(([^)]+)\)", name)
    plain = normalise(re.sub(r"\([^)]*\)", "", name))
    variants = {plain, *(normalise(b) for b in bracketed)}
    for suffix in (" region", " pdu", " division"):
        variants |= {v.removesuffix(suffix) for v in list(variants)}
    variants |= {v.removeprefix("probation service ") for v in list(variants)}
    return {v for v in variants if v}


@dataclass
class UnitProposal:
    """A unit the report names that the database does not have, to be confirmed."""

    name: str
    short_name: str
    kind: str
    parent: "OrgUnit | UnitProposal | None"

    @property
    def slug(self):
        return slugify(self.short_name or self.name)[:80]

    @property
    def display_name(self):
        return self.short_name or self.name

    def __str__(self):
        return self.name


class UnitMatcher:
    """Matches printed names to units, remembering the proposals it makes."""

    def __init__(self, document_text: str = ""):
        self.units = list(OrgUnit.objects.all())
        self.document_text = normalise(document_text)
        self.proposals: list[UnitProposal] = []

    def find(self, printed: str) -> OrgUnit | UnitProposal | None:
        variants = name_variants(printed)
        for unit in self.units:
            if variants & self._own_names(unit):
                return unit
        for proposal in self.proposals:
            if variants & (name_variants(proposal.name) | name_variants(proposal.short_name)):
                return proposal
        return self._by_alias(variants)

    def find_all(self, printed: str) -> list[OrgUnit | UnitProposal] | None:
        """One or more units (a joint heading such as "the CRC and NPS"), or None."""
        if found := self.find(printed):
            return [found]
        parts = joint_addressees(printed)
        if len(parts) > 1:
            found = [self.find(part) for part in parts]
            if all(found):
                return found
        return None

    def find_or_propose(self, printed: str, *, region: "OrgUnit | UnitProposal | None" = None):
        return self.find_all(printed) or self._propose(printed, region=region)

    def national(self):
        return self.find(NATIONAL_SHORT) or self._add(
            UnitProposal(NATIONAL_NAME, NATIONAL_SHORT, UnitKind.NATIONAL, None)
        )

    def _own_names(self, unit: OrgUnit) -> set[str]:
        keys = name_variants(unit.name) | name_variants(unit.slug.replace("-", " "))
        if unit.short_name:
            keys |= name_variants(unit.short_name)
        return keys

    def _by_alias(self, variants: set[str]):
        """The unit known by one of these names among its aliases; of several, the one the
        report names in full."""
        known = [unit for unit in self.units if any(variants & name_variants(alias) for alias in unit.alias_list)]
        named = [
            unit
            for unit in known
            if any(key in self.document_text for key in (normalise(unit.name), normalise(unit.short_name)) if key)
        ]
        if len(named) == 1:
            return named[0]
        return known[0] if len(known) == 1 else None

    def _propose(self, printed: str, *, region) -> list[UnitProposal] | None:
        """A new unit under the right parent: a PDU under the report's region, a region under
        HMPPS; a name that says neither cannot be placed and is not proposed."""
        plain = " ".join(re.sub(r"^the\s+", "", printed, flags=re.I).split())
        if name_variants(plain) & name_variants(f"{NATIONAL_NAME} ({NATIONAL_SHORT})"):
            return [self.national()]
        pdu = re.fullmatch(r"(.+?)\s+PDU", plain, re.I)
        if pdu:
            if region is None:
                return None
            return [self._add(UnitProposal(plain, pdu.group(1), UnitKind.PDU, region))]
        area = re.fullmatch(r"(?:Probation Service\s*[–-]\s*)?(.+?)(?:\s+region)?", plain, re.I)
        if area and (plain.lower().startswith("probation service") or plain.lower().endswith(" region")):
            short = area.group(1)
            return [self._add(UnitProposal(f"Probation Service – {short}", short, UnitKind.REGION, self.national()))]
        return None

    def _add(self, proposal: UnitProposal) -> UnitProposal:
        self.proposals.append(proposal)
        return proposal
