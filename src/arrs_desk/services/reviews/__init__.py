"""Reviews and appraisals, and the impact log that feeds them.

A review (probation, interim or annual) is written by the person's line manager or the named
appraiser; the person writes their own self-assessment and reflections; each party signs for
themself. Once both have signed, the review is the record of what was agreed and is not changed.
When each review is due is decided in `arrs_desk.domain.reviews`; this package gathers the facts.

Where to look:
  views.py       what the screens send and receive (inputs, rows, one review in full, choices)
  facts.py       the queries: objectives, plans and signatures of many reviews, accounts, names
  rows.py        reviews as rows, and one review in full with what the viewer may do
  overview.py    the Reviews page: what is due for everyone the viewer may see
  reading.py     one person's reviews, the editor's choices
  validation.py  checking what the editor sends
  writing.py     recording and changing a review, its objectives and plan, the self-assessment
  signatures.py  signing, in the app or entered from paper
  impact.py      the impact log
  service.py     ReviewService, the door to all of it

This module only re-exports the names callers import from `arrs_desk.services.reviews`.
"""

from arrs_desk.domain.review_dates import MAX_AHEAD_MONTHS, MAX_PAST_YEARS, MAX_PERIOD_MONTHS
from arrs_desk.services.reviews.facts import APPRAISER_ROLES
from arrs_desk.services.reviews.service import ReviewService
from arrs_desk.services.reviews.validation import MAX_ITEMS
from arrs_desk.services.reviews.views import (
    DueRow, ImpactInput, ImpactRow, ObjectiveInput, ObjectiveRow, PdpInput, PdpRow, PersonReviews, ReviewCapabilities,
    ReviewChoices, ReviewDetail, ReviewInput, ReviewOverview, ReviewRow, SignatureRow,
)
from arrs_desk.services.reviews.writing import PRIVATE

__all__ = [
    "APPRAISER_ROLES", "MAX_AHEAD_MONTHS", "MAX_ITEMS", "MAX_PAST_YEARS", "MAX_PERIOD_MONTHS", "PRIVATE",
    "DueRow", "ImpactInput", "ImpactRow", "ObjectiveInput", "ObjectiveRow", "PdpInput", "PdpRow", "PersonReviews",
    "ReviewCapabilities", "ReviewChoices", "ReviewDetail", "ReviewInput", "ReviewOverview", "ReviewRow",
    "ReviewService", "SignatureRow",
]
