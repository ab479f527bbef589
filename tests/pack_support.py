"""A filled-in appraisal pack for report tests, independent of any database."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

from arrs_desk.reports.pack_data import (
    AppraisalPackData, PackAuditLine, PackGap, PackImpact, PackInduction, PackInductionItem, PackMilestone,
    PackObjective, PackPdpItem, PackPerson, PackProgramme, PackReview, PackSession, PackSignature,
    PackSupervision, PackSupervisionType,
)

START, END = date(2025, 11, 25), date(2026, 11, 24)


def sample_pack(**changes) -> AppraisalPackData:
    person = PackPerson(
        display_name="Zoë Ōkubo", role_title="Social prescribing link worker",
        practices=("Riverside Medical Centre", "Moorland View Surgery"), employer="Riverside and Moorland PCN",
        employment="PCN-employed", start_date=date(2024, 1, 8), status_label="Active", band="5",
        hours="37.5 hours a week (1.00 WTE)", registration="", registration_renewal=None, registration_note="",
        line_manager="Helen Whitfield-Amadi",
        supervisors=(("Clinical supervision", "Dr Yusuf Raghunathan"), ("Line management", "Helen Whitfield-Amadi")),
        appraiser="Dr Yusuf Raghunathan",
    )
    sessions = tuple(
        PackSession(START + timedelta(days=30 * i + 3), "Clinical supervision", "Dr Yusuf Raghunathan", 60,
                    "One-to-one", ("Case review: frail patients with falls; housing referrals." if i % 2 else
                                   "Falls prevention group and medication review."))
        for i in range(11)
    )
    signatures = (PackSignature("Appraiser", "Dr Yusuf Raghunathan", date(2025, 12, 10), "in ARRS Desk"),
                  PackSignature("Appraisee", "Zoë Ōkubo", date(2025, 12, 11), "in ARRS Desk"))
    last_year = PackReview(
        kind_label="Annual appraisal", meeting_date=date(2025, 12, 10), period_start=date(2024, 12, 1),
        period_end=date(2025, 12, 10), appraiser="Dr Yusuf Raghunathan", state_label="Signed by both",
        outcome_label="Agreed", outcome_note="", summary="A strong first year building the social prescribing service.",
        self_assessment="I built links with 14 community groups.", reflections="I want more supervision on complex cases.",
        signatures=signatures,
    )
    interim = replace(last_year, kind_label="Interim review (6-month)", meeting_date=date(2026, 6, 12),
                      period_start=date(2025, 12, 11), period_end=date(2026, 6, 12),
                      summary="Halfway: the falls group is running; the carers' group needs a venue.")
    current = PackReview(
        kind_label="Annual appraisal", meeting_date=date(2026, 12, 3), period_start=START, period_end=END,
        appraiser="Dr Yusuf Raghunathan", state_label="Booked", outcome_label="Not yet decided", outcome_note="",
        summary="", self_assessment="This year I ran the weekly falls group and took 212 referrals.\n\n"
                                    "I would like to train in motivational interviewing.",
        reflections="Saying no to new projects has been hard.", signatures=(),
    )
    return replace(AppraisalPackData(
        staff_id=3, organisation="Riverside and Moorland PCN", period_start=START, period_end=END,
        printed_on=END, printed_by="Helen Whitfield-Amadi", person=person,
        induction=PackInduction(recorded=True, percent=96, done=52, applicable=54, overdue=1, awaiting=1, outstanding=(
            PackInductionItem("First three months", "Learning needs analysis and PDP", date(2024, 3, 8), "Overdue"),
            PackInductionItem("First month", "Prevent training", date(2024, 2, 5), "Awaiting sign-off"),
        ), training_alerts=(PackInductionItem("Training", "Basic life support", date(2026, 12, 20), "Expiring"),)),
        supervision=PackSupervision(
            types=(PackSupervisionType("Clinical supervision", True, "Monthly", 11, 12, 660, sessions[-1].held_on,
                                       "Dr Yusuf Raghunathan"),
                   PackSupervisionType("Line management", True, "Every 3 months", 2, 4, 90, date(2026, 5, 2),
                                       "Helen Whitfield-Amadi")),
            gaps=(PackGap("Line management", date(2026, 8, 2), END, 114),),
            sessions=sessions, themes=(("falls", 11), ("referrals", 5), ("medication", 6)), total_hours=12.5,
        ),
        programmes=(PackProgramme(
            title="Social prescribing induction programme", status_label="In progress", start_date=date(2024, 1, 8),
            expected_end=date(2026, 12, 31), completed_on=None, preceptor="Helen Whitfield-Amadi",
            assessor="Dr Yusuf Raghunathan", progress=72.0, time_elapsed=91.0, milestones_held=5, milestones_total=6,
            milestones_overdue=1, competencies_signed=9, competencies_total=12, protected_logged=40.0,
            protected_expected=48.0, behind=("1 milestone overdue",),
            milestones=(PackMilestone("End review", date(2026, 11, 1), "Overdue", None),)),),
        earlier_reviews=(last_year, interim),
        previous_objectives=(
            PackObjective("Run a weekly falls prevention group", "40 people attend by June", date(2026, 6, 30),
                          "Achieved", "44 people attended.", "Set at the annual appraisal of 10/12/2025"),
            PackObjective("Set up a carers' support group", "Group meets monthly", date(2026, 9, 30), "In progress",
                          "Venue found in October.", "Set at the annual appraisal of 10/12/2025; carried forward"),
        ),
        previous_pdp=(PackPdpItem("Safeguarding level 3", "E-learning and a workshop", "Study leave", date(2026, 3, 31),
                                  "Done"),),
        current_review=current,
        current_objectives=(PackObjective("Set up a carers' support group", "Group meets monthly", date(2027, 3, 31),
                                          "In progress", "", "Carried forward from the annual appraisal of 10/12/2025"),),
        current_pdp=(PackPdpItem("Motivational interviewing", "Two-day course", "Funding from the training hub",
                                 date(2027, 2, 28), "Planned"),),
        impact=(
            PackImpact(date(2026, 3, 31), "Process measure", "Referrals handled", "", "Referrals in the year", "212",
                       "Zoë Ōkubo"),
            PackImpact(date(2026, 9, 14), "Case study", "Housing referral that prevented an admission",
                       "A frail man was at risk of admission; working with the council and his GP he stayed at home.",
                       "", "", "Zoë Ōkubo"),
            PackImpact(date(2026, 10, 1), "Patient-reported outcome", "Wellbeing group", "", "WEMWBS change", "+6 points",
                       "Helen Whitfield-Amadi"),
        ),
        audit=tuple(PackAuditLine(datetime(2026, 1 + i % 11, 3, 9, 30, tzinfo=timezone.utc), "Helen Whitfield-Amadi",
                                  "Signed off", f"Signed off 'Item {i}' for Zoë Ōkubo") for i in range(30)),
    ), **changes)
