"""`RegulatorPackService`: one person's revalidation pack for their regulator, saved as a PDF.

The pack is the NMC confirmation pack, the HCPC CPD profile, the GPhC revalidation record or the
GMC supporting-information summary (`domain.regulator_packs`), filled from the person's own
revalidation record as the Revalidation page reads it (`RevalidationService.person`) and nothing
else, so it can hold nobody else's data. The person themself, their line manager or an
administrator may print it; the file is written owner-only and its saving is recorded in the
audit trail ("Printed a regulator pack") in the same step that makes it appear.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from arrs_desk.domain import staff as staff_rules
from arrs_desk.domain.catalogue import builtin_catalogue
from arrs_desk.domain.dates import format_uk, months_window_start
from arrs_desk.domain.permissions import Action
from arrs_desk.domain.regulator_packs import no_pack_reason, pack_for
from arrs_desk.domain.regulators import EvidenceKind, Regulator, RegulatorRules
from arrs_desk.domain.revalidation import EvidenceFact, audit_pick, counts_in
from arrs_desk.domain.text import file_slug
from arrs_desk.errors import ValidationError
from arrs_desk.reports.pack_data import PackRequirement, PackRevalidation
from arrs_desk.reports.regulator_pack_data import PackCpd, PackEvidence, RegulatorPackData
from arrs_desk.services._common import get_or_404, require
from arrs_desk.services.actor import Actor
from arrs_desk.services.exports import SavedFile, save_audited
from arrs_desk.services.relationships import relationship
from arrs_desk.services.revalidation.views import PersonRevalidation
from arrs_desk.store.database import Database
from arrs_desk.store.models import Staff


def requirements(regulator: Regulator, record: PersonRevalidation) -> tuple[PackRequirement, ...]:
    """The rules file's requirements, each with what the person's record counts towards it."""
    rules = {r.code: r for r in regulator.requirements}
    found = []
    for p in record.progress:
        rule = rules[p.code]
        found.append(PackRequirement(p.code, p.label, p.have, p.need, p.met, rule.measure,
                                     rule.evidence.value if rule.evidence else "", rule.note or ""))
    return tuple(found)


def _register_name(code: str) -> str:
    register = builtin_catalogue().register(code)
    return register.name if register is not None else code


def revalidation_summary(rules: RegulatorRules, record: PersonRevalidation,
                         registration_number: str) -> PackRevalidation | None:
    """The cycle as the appraisal pack and the regulator packs show it; None off any register with rules."""
    summary = record.summary
    regulator = rules.for_register(summary.register_code)
    if regulator is None:
        return None
    cycle = record.cycle
    evidence: dict[str, int] = {}
    order = list(EvidenceKind)
    for item in sorted(record.evidence, key=lambda e: order.index(EvidenceKind(e.kind))):
        if cycle is not None and counts_in(cycle, item.occurred_on, item.counts_towards):
            evidence[item.kind_label] = evidence.get(item.kind_label, 0) + 1
    cpd = sum(1 for e in record.cpd if cycle is not None and counts_in(cycle, e.occurred_on, e.counts_towards))
    return PackRevalidation(
        regulator=regulator.name, register=_register_name(summary.register_code), registration_number=registration_number,
        status_label=summary.status_label, reason=summary.reason, cycle_start=cycle.start if cycle else None,
        cycle_end=cycle.end if cycle else None, due=cycle.due if cycle else None,
        requirements=requirements(regulator, record), cpd_records=cpd, evidence_counts=tuple(evidence.items()),
    )


def audit_note_for(regulator: Regulator, cycle, record: PersonRevalidation, name: str) -> str:
    """What the HCPC profile says of the audit: the letter and the profile's due date when one is
    recorded in this cycle, otherwise what the rules say and that no letter is recorded."""
    rules = regulator.audit
    if rules is None:
        return ""
    pick = audit_pick(regulator, cycle, [EvidenceFact(e.kind, e.occurred_on, e.hours, e.counts_towards)
                                         for e in record.evidence])
    if pick is None:
        return (f"{rules.explained} No letter picking {name} for audit is recorded in this cycle; if one comes, "
                "this profile is what the regulator asks for.")
    sent = f"; sent {format_uk(pick.sent_on)}" if pick.sent_on else ""
    return (f"Picked for audit on {format_uk(pick.picked_on)}; profile due {format_uk(pick.due)}{sent}. "
            f"{rules.profile_due_explained}")


def file_name(display_name: str, regulator_code: str, staff_id: int, today: date) -> str:
    """A file name safe everywhere and unique per person and day: letters of any script are kept."""
    return f"{regulator_code.lower()}-pack-{file_slug(display_name)}-{staff_id}-{today:%Y-%m-%d}.pdf"


class RegulatorPackService:
    def __init__(self, db: Database, today: Callable[[], date], workspace):
        self._db = db
        self._today = today
        self._workspace = workspace

    def pack_data(self, actor: Actor, *, staff_id: int) -> tuple[RegulatorPackData, tuple[PackRequirement, ...]]:
        """The pack's data and its requirement list, or a ValidationError saying why there is no pack."""
        today = self._today()
        ws = self._workspace
        with self._db.read() as session:
            require(actor, Action.PRINT_REGULATOR_PACK, relationship(session, actor, staff_id, today))
            person = get_or_404(session, Staff, staff_id, "staff member")
            number = person.registration_number
            name = staff_rules.display_name(person.given_name, person.family_name, person.preferred_name)
        rules = ws.revalidation.rules
        regulator = rules.for_register(person.register_code)
        kind = pack_for(regulator.code if regulator else None)
        if kind is None:
            raise ValidationError.single("register", no_pack_reason(name, person.register_code,
                                                                    regulator.name if regulator else ""))
        record = ws.revalidation.person(actor, staff_id=staff_id)
        cycle = record.cycle
        if cycle is None:
            raise ValidationError.single("registration_renewal", record.summary.reason)
        staff = ws.staff.get(actor, staff_id=staff_id)
        if kind.cpd_months:
            cpd_from, cpd_to = months_window_start(today, kind.cpd_months), today
            cpd = [e for e in record.cpd if cpd_from <= e.occurred_on <= today]
        else:
            cpd_from, cpd_to = cycle.start, cycle.end
            cpd = [e for e in record.cpd if counts_in(cycle, e.occurred_on, e.counts_towards)]
        evidence = [e for e in record.evidence if counts_in(cycle, e.occurred_on, e.counts_towards)]
        summary = revalidation_summary(rules, record, number)
        reqs = summary.requirements
        audit_note = audit_note_for(regulator, cycle, record, name)
        data = RegulatorPackData(
            staff_id=staff_id, regulator_code=kind.regulator, title=kind.title, display_name=name,
            formal_name=staff.formal_name, role_title=staff.role_title, practices=staff.practice_names,
            line_manager=staff.line_manager_name, organisation=ws.organisations.pcn_name(), printed_on=today,
            printed_by=actor.display_name, revalidation=summary, opens=cycle.opens,
            cycle_explained=record.cycle_explained, cpd_from=cpd_from, cpd_to=cpd_to,
            cpd=tuple(PackCpd(e.occurred_on, e.title, e.provider, e.method_label, e.hours, e.participatory, e.planned,
                              e.reflection, e.verified_by, e.verified_on)
                      for e in sorted(cpd, key=lambda e: (e.occurred_on, e.id))),
            evidence=tuple(PackEvidence(e.kind, e.kind_label, e.occurred_on, e.title, e.details, e.hours,
                                        e.partner_name, e.partner_registration, e.verified_by, e.verified_on)
                           for e in sorted(evidence, key=lambda e: (e.occurred_on, e.id))),
            audit_note=audit_note,
        )
        return data, reqs

    def suggested_name(self, actor: Actor, *, staff_id: int) -> str:
        """The file name the save dialog offers (raises the no-pack message before a dialog opens)."""
        data, _reqs = self.pack_data(actor, staff_id=staff_id)
        return file_name(data.display_name, data.regulator_code, staff_id, data.printed_on)

    def save_pack(self, actor: Actor, *, staff_id: int, path: Path | str) -> SavedFile:
        """Write the pack as an owner-only PDF and record it in the audit trail, as one step."""
        from arrs_desk.reports.regulator_pack import build_regulator_pack

        data, reqs = self.pack_data(actor, staff_id=staff_id)
        return save_audited(self._db, actor, path, record="regulator_pack",
                            what=f"the {data.title} of {data.display_name}", file_format="PDF",
                            write=lambda partial: build_regulator_pack(partial, data, reqs), people=1,
                            subject_staff_id=staff_id, action="regulator_pack")
