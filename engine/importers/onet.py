"""O*NET database (text layout) -> skills and roles.

One role per occupation: title, description, family = SOC major group, level = Job Zone.
Requirements come from Skills.txt and Knowledge.txt: level from the LV scale (0-7) mapped to 0-5,
weight from the IM scale (1-5) mapped to 0-1; elements marked "Not Relevant" are skipped.
Hot technologies become skills (``tech:<slug>``) required at a working level. Task statements
(what people in the occupation do) are appended to the description as bullets
(:func:`engine.title_match.compose_description`); role vectors and title matching read them.

Only the catalog files below are ever opened: O*NET evaluation labels (Related Occupations,
Alternate/Reported Titles) are answers and must never reach the engine.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from engine.errors import InvalidInput
from engine.models import Requirement, Role, Skill
from engine.store import Store, UpsertResult
from engine.title_match import compose_description

__all__ = ["CATALOG_FILES", "SOC_MAJOR_GROUPS", "OnetCatalog", "import_onet", "read_onet"]

CATALOG_FILES = (
    "Occupation Data.txt",
    "Skills.txt",
    "Knowledge.txt",
    "Job Zones.txt",
    "Technology Skills.txt",
    "Task Statements.txt",
    "Content Model Reference.txt",
)

SOC_MAJOR_GROUPS = {
    "11": "Management",
    "13": "Business and Financial Operations",
    "15": "Computer and Mathematical",
    "17": "Architecture and Engineering",
    "19": "Life, Physical, and Social Science",
    "21": "Community and Social Service",
    "23": "Legal",
    "25": "Educational Instruction and Library",
    "27": "Arts, Design, Entertainment, Sports, and Media",
    "29": "Healthcare Practitioners and Technical",
    "31": "Healthcare Support",
    "33": "Protective Service",
    "35": "Food Preparation and Serving Related",
    "37": "Building and Grounds Cleaning and Maintenance",
    "39": "Personal Care and Service",
    "41": "Sales and Related",
    "43": "Office and Administrative Support",
    "45": "Farming, Fishing, and Forestry",
    "47": "Construction and Extraction",
    "49": "Installation, Maintenance, and Repair",
    "51": "Production",
    "53": "Transportation and Material Moving",
    "55": "Military Specific",
}

DEFAULT_JOB_ZONE = 3
TECH_LEVEL = 3
TECH_WEIGHT = 0.5


@dataclass
class OnetCatalog:
    skills: list[Skill]
    roles: list[Role]

    @property
    def rated_roles(self) -> int:
        return sum(1 for r in self.roles if any(not q.skill_id.startswith("tech:") for q in r.requirements))


def _rows(path: Path) -> Iterator[dict[str, str]]:
    if not path.exists():
        raise InvalidInput(f"{path}: O*NET file missing")
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        for n, row in enumerate(reader, start=2):
            if None in row:
                raise InvalidInput(f"{path}:{n}: more cells than header columns")
            yield row


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80] or "x"


def lv_to_level(lv: float) -> int:
    """O*NET level 0-7 -> proficiency 0-5."""
    return max(0, min(5, round(lv / 7.0 * 5.0)))


def im_to_weight(im: float) -> float:
    """O*NET importance 1-5 -> weight 0-1."""
    return round(max(0.0, min(1.0, (im - 1.0) / 4.0)), 3)


def read_onet(directory: Path, *, include_technology: bool = True, tasks_in_description: int = 100) -> OnetCatalog:
    """Read the catalog files of an O*NET text directory into skills and roles."""
    d = Path(directory)
    if not (d / "Occupation Data.txt").exists():
        raise InvalidInput(f"{d}: not an O*NET text directory ('Occupation Data.txt' missing)")
    occupations = {r["O*NET-SOC Code"]: r for r in _rows(d / "Occupation Data.txt")}
    zones = {r["O*NET-SOC Code"]: int(r["Job Zone"]) for r in _rows(d / "Job Zones.txt")}
    element_desc = {}
    if (d / "Content Model Reference.txt").exists():
        element_desc = {r["Element ID"]: r["Description"] for r in _rows(d / "Content Model Reference.txt")}

    skills: dict[str, Skill] = {}
    ratings: dict[tuple[str, str], dict[str, float]] = defaultdict(dict)
    irrelevant: set[tuple[str, str]] = set()
    for fname, category in (("Skills.txt", "skill"), ("Knowledge.txt", "knowledge")):
        for r in _rows(d / fname):
            code, eid = r["O*NET-SOC Code"], r["Element ID"]
            if eid not in skills:
                skills[eid] = Skill(
                    id=eid,
                    name=r["Element Name"],
                    category=category,
                    external_code=eid,
                    description=element_desc.get(eid, ""),
                )
            ratings[(code, eid)][r["Scale ID"]] = float(r["Data Value"])
            if r["Scale ID"] == "LV" and r.get("Not Relevant") == "Y":
                irrelevant.add((code, eid))

    reqs: dict[str, list[Requirement]] = defaultdict(list)
    for (code, eid), scales in ratings.items():
        if (code, eid) in irrelevant or "LV" not in scales or "IM" not in scales:
            continue
        level = lv_to_level(scales["LV"])
        if level == 0:
            continue
        reqs[code].append(Requirement(skill_id=eid, level=level, weight=im_to_weight(scales["IM"])))

    if include_technology and (d / "Technology Skills.txt").exists():
        for r in _rows(d / "Technology Skills.txt"):
            if r.get("Hot Technology") != "Y":
                continue
            sid = f"tech:{_slug(r['Example'])}"
            if sid not in skills:
                skills[sid] = Skill(id=sid, name=r["Example"], category="technology", description=r["Commodity Title"])
            code = r["O*NET-SOC Code"]
            if code in occupations and all(q.skill_id != sid for q in reqs[code]):
                reqs[code].append(Requirement(skill_id=sid, level=TECH_LEVEL, weight=TECH_WEIGHT))

    tasks: dict[str, list[str]] = defaultdict(list)
    if tasks_in_description and (d / "Task Statements.txt").exists():
        for r in _rows(d / "Task Statements.txt"):
            if len(tasks[r["O*NET-SOC Code"]]) < tasks_in_description:
                tasks[r["O*NET-SOC Code"]].append(r["Task"])

    roles = []
    for code, occ in occupations.items():
        desc = compose_description(occ["Description"], tasks.get(code, []))
        roles.append(
            Role(
                id=code,
                title=occ["Title"],
                family=SOC_MAJOR_GROUPS.get(code[:2], "Other"),
                level=zones.get(code, DEFAULT_JOB_ZONE),
                description=desc,
                requirements=sorted(reqs.get(code, []), key=lambda q: q.skill_id),
            )
        )
    return OnetCatalog(skills=sorted(skills.values(), key=lambda s: s.id), roles=roles)


def import_onet(store: Store, directory: Path, **options: object) -> tuple[OnetCatalog, UpsertResult]:
    catalog = read_onet(directory, **options)  # type: ignore[arg-type]
    return catalog, store.upsert([*catalog.skills, *catalog.roles])
