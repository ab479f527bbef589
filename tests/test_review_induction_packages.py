"""The reviews and induction services as packages a newcomer can find their way round: the same
public API as the single modules they replaced, every old import still working, modules small
enough to read in one sitting, each saying why it exists, and no circles between them."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

import arrs_desk.services.induction as induction
import arrs_desk.services.reviews as reviews

SRC = Path(__file__).resolve().parent.parent / "src" / "arrs_desk"
PACKAGES = {"arrs_desk.services.reviews": SRC / "services" / "reviews",
            "arrs_desk.services.induction": SRC / "services" / "induction"}
MOVED_DEMO = (SRC / "demo" / "reviews.py", SRC / "demo" / "induction.py")
MOST_LINES = 450

REVIEW_API = """
__init__ (self, db: 'Database', today: 'Callable[[], date]')
add_impact (self, actor: 'Actor', *, data: 'ImpactInput') -> 'ImpactRow'
carry_forward (self, actor: 'Actor', *, review_id: 'int', expected_version: 'int') -> 'ReviewDetail'
create_review (self, actor: 'Actor', *, data: 'ReviewInput', carry_forward: 'bool' = True) -> 'ReviewDetail'
delete_impact (self, actor: 'Actor', *, entry_id: 'int', expected_version: 'int') -> 'None'
delete_review (self, actor: 'Actor', *, review_id: 'int', expected_version: 'int') -> 'None'
due (self, actor: 'Actor') -> 'tuple[DueRow, ...]'
due_counts (self, actor: 'Actor') -> 'DueCounts'
form_choices (self, actor: 'Actor', *, staff_id: 'int', review_id: 'int | None' = None) -> 'ReviewChoices'
held (self, actor: 'Actor') -> 'tuple[ReviewRow, ...]'
impact_log (self, actor: 'Actor', *, staff_id: 'int', start: 'date | None' = None, end: 'date | None' = None) -> 'list[ImpactRow]'
overview (self, actor: 'Actor', *, held: 'bool' = True) -> 'ReviewOverview'
person (self, actor: 'Actor', *, staff_id: 'int') -> 'PersonReviews'
record_paper_signature (self, actor: 'Actor', *, review_id: 'int', party: 'str', signed_on: 'date | None', expected_version: 'int') -> 'ReviewDetail'
review (self, actor: 'Actor', *, review_id: 'int') -> 'ReviewDetail'
reviews_of (self, actor: 'Actor', *, staff_id: 'int') -> 'list[ReviewDetail]'
sign (self, actor: 'Actor', *, review_id: 'int', party: 'str', expected_version: 'int', comment: 'str' = '') -> 'ReviewDetail'
update_impact (self, actor: 'Actor', *, entry_id: 'int', data: 'ImpactInput', expected_version: 'int') -> 'ImpactRow'
update_review (self, actor: 'Actor', *, review_id: 'int', data: 'ReviewInput', expected_version: 'int') -> 'ReviewDetail'
write_self_assessment (self, actor: 'Actor', *, review_id: 'int', self_assessment: 'str', reflections: 'str', expected_version: 'int') -> 'ReviewDetail'
"""  # noqa: E501

INDUCTION_API = """
__init__ (self, db: 'Database', today: 'Callable[[], date]', evidence_root: 'Callable[[], Path] | None' = None)
add_reinduction (self, actor: 'Actor', *, staff_id: 'int', change_date: 'date | None' = None) -> 'int'
attach_evidence (self, actor: 'Actor', *, item_id: 'int', source: 'Path') -> 'EvidenceRow'
awaiting_signoff (self, actor: 'Actor') -> 'list[SignOffRow]'
checklist (self, actor: 'Actor', *, staff_id: 'int') -> 'ChecklistView'
checklist_rows (self, actor: 'Actor', *, staff_id: 'int') -> 'list[tuple]'
create_checklist (self, actor: 'Actor', *, staff_id: 'int') -> 'ChecklistView'
evidence_file (self, actor: 'Actor', *, evidence_id: 'int') -> 'Path'
export_csv (self, actor: 'Actor', *, staff_id: 'int', target: 'Path') -> 'int'
mark_not_applicable (self, actor: 'Actor', *, item_id: 'int', expected_version: 'int', reason: 'str') -> 'ChecklistView'
overview (self, actor: 'Actor', *, include_without_checklist: 'bool' = True) -> 'list[OverviewRow]'
record_external_sign_off (self, actor: 'Actor', *, item_id: 'int', expected_version: 'int', signature: 'ExternalSignatureInput') -> 'ChecklistView'
record_renewal (self, actor: 'Actor', *, item_id: 'int', expected_version: 'int', completed_on: 'date') -> 'ChecklistView'
remove_evidence (self, actor: 'Actor', *, evidence_id: 'int') -> 'ChecklistView'
reopen (self, actor: 'Actor', *, item_id: 'int', expected_version: 'int') -> 'ChecklistView'
return_item (self, actor: 'Actor', *, item_id: 'int', expected_version: 'int', comment: 'str') -> 'ChecklistView'
set_validity (self, actor: 'Actor', *, item_id: 'int', expected_version: 'int', months: 'int | str | None') -> 'ChecklistView'
sign_off (self, actor: 'Actor', *, item_id: 'int', expected_version: 'int', comment: 'str' = '') -> 'ChecklistView'
tick (self, actor: 'Actor', *, item_id: 'int', expected_version: 'int', note: 'str' = '', completed_on: 'date | None' = None) -> 'ChecklistView'
untick (self, actor: 'Actor', *, item_id: 'int', expected_version: 'int') -> 'ChecklistView'
"""  # noqa: E501


def _api(cls) -> list[str]:
    return [f"{name} {inspect.signature(member)}" for name, member in sorted(inspect.getmembers(cls, callable))
            if not name.startswith("_") or name == "__init__"]


@pytest.mark.parametrize(("service", "expected"), [(reviews.ReviewService, REVIEW_API),
                                                   (induction.InductionService, INDUCTION_API)])
def test_the_services_keep_the_public_methods_and_signatures_they_had(service, expected):
    """Pinned so a change to the API is a decision (issue 17 made induction keyword-only after the
    actor, its writes returning the refreshed checklist)."""
    assert _api(service) == expected.strip().splitlines()


def test_the_induction_csv_header_is_still_a_class_attribute():
    assert induction.InductionService.CSV_HEADER[:4] == ("Staff member", "Role", "Section", "Item")
    assert len(induction.InductionService.CSV_HEADER) == 17


@pytest.mark.parametrize(("package", "names"), [
    (reviews, ["APPRAISER_ROLES", "DueRow", "ImpactInput", "ImpactRow", "MAX_AHEAD_MONTHS", "MAX_ITEMS",
               "MAX_PAST_YEARS", "MAX_PERIOD_MONTHS", "ObjectiveInput", "ObjectiveRow", "PRIVATE", "PdpInput",
               "PdpRow", "PersonReviews", "ReviewCapabilities", "ReviewChoices", "ReviewDetail", "ReviewInput",
               "ReviewOverview", "ReviewRow", "ReviewService", "SignatureRow"]),
    (induction, ["AUTO_CHECKLIST_STATUSES", "ChecklistView", "DUE_SOON_DAYS", "EvidenceRow", "InductionService",
                 "ItemRow", "KIND_INDUCTION", "KIND_REINDUCTION", "MAX_NOTE", "MAX_PAST_COMPLETION_YEARS",
                 "MIN_RETURN_COMMENT", "OverviewRow", "SectionRow", "SignOffRow", "make_checklist",
                 "make_starter_checklists", "on_staff_created", "on_start_date_changed"]),
])
def test_every_name_the_single_modules_defined_is_still_importable_from_the_package(package, names):
    assert [n for n in names if not hasattr(package, n)] == []
    assert sorted(package.__all__) == sorted(names)


def _modules():
    for path in [p for folder in PACKAGES.values() for p in sorted(folder.glob("*.py"))] + list(MOVED_DEMO):
        yield pytest.param(path, id=str(path.relative_to(SRC)))


@pytest.mark.parametrize("path", list(_modules()))
def test_each_module_says_why_it_exists_and_can_be_read_in_one_sitting(path):
    text = path.read_text(encoding="utf-8")
    docstring = ast.get_docstring(ast.parse(text))
    assert docstring and len(docstring.split()) >= 8, f"{path.name} needs a docstring saying why it exists"
    assert len(text.splitlines()) <= MOST_LINES, f"{path.name} has grown past {MOST_LINES} lines: split it"


@pytest.mark.parametrize("package", sorted(PACKAGES))
def test_no_module_of_a_package_reaches_back_round_to_itself(package):
    """Area modules import shared pieces from lower modules (views, facts, access), never in a circle;
    only the package's __init__ re-exports, and only service.py sits above the areas."""
    folder = PACKAGES[package]
    graph: dict[str, set[str]] = {}
    for path in folder.glob("*.py"):
        if path.stem == "__init__":
            continue
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == package:
                found.update(alias.name for alias in node.names if (folder / f"{alias.name}.py").exists())
            elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(package + "."):
                found.add(node.module.removeprefix(package + "."))
        graph[path.stem] = found
    assert len(graph) >= 8, f"{package} should be a package of area modules"
    assert all("service" not in imports for name, imports in graph.items()), graph

    def reaches(start: str, target: str, seen: set[str]) -> bool:
        return any(n == target or (n not in seen and reaches(n, target, seen | {n})) for n in graph.get(start, ()))

    assert [m for m in graph if reaches(m, m, {m})] == []


def test_the_demo_writes_reviews_through_the_service_modules_not_private_methods():
    text = (SRC / "demo" / "reviews.py").read_text(encoding="utf-8")
    assert "service._" not in text and "._create(" not in text
