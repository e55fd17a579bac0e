"""Messy real-world titles: the cleaner (pure, fast) and the matcher on a hand-labelled set (real model).

``tests/data/messy_titles.csv`` holds titles as people type them, each with the O*NET
occupation a recruiter would pick; written by hand, not taken from the O*NET label files.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from engine.title_clean import clean_title

DATA = Path(__file__).resolve().parent.parent / "data" / "messy_titles.csv"

# Measured with all-MiniLM-L6-v2 on the 159 titles: top-1 0.843, top-3 0.950, top-5 0.981
# (without cleaning 0.535 / 0.704 / 0.761). Floors sit a few points under.
TOP3_FLOOR = 0.91
TOP1_FLOOR = 0.80


def _rows() -> list[dict[str, str]]:
    with DATA.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


# ----------------------------------------------------------------------------- cleaner (pure)


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("Sr. SWE II", "Software Engineer"),
        ("CNA", "Certified Nursing Assistant"),
        ("C.N.A. (PRN)", "Certified Nursing Assistant"),
        ("RN - ICU nights", "Registered Nurse"),
        ("RN - Med/Surg (Night Shift)", "Registered Nurse"),
        ("LPN per diem", "Licensed Practical Nurse"),
        ("Cashier - Store 42", "Cashier"),
        ("Bank Teller - PT", "Bank Teller"),
        ("Dental Hygienist (FT/PT)", "Dental Hygienist"),
        ("Head of People Ops", "Human Resources Manager"),
        ("VP, People", "Human Resources Manager"),
        ("Dir. of IT", "Information Technology Manager"),
        ("IT PM", "Information Technology Project Manager"),
        ("Credit Analyst - Level 2", "Credit Analyst"),
        ("Front-End Dev L4", "Front-End Developer"),
        ("Analyst Grade 7", "Analyst"),
        ("Lead Carpenter", "Carpenter"),
        ("Principal Software Dev", "Software Developer"),
        ("Sr. Staff Accountant", "Accountant"),
        ("Network Admin", "Network Administrator"),
        ("Admin Asst", "Administrative Assistant"),
        ("Buyer II - Apparel", "Apparel Buyer"),
        ("Shift Lead - Store #1234", "Shift Supervisor"),
    ],
)
def test_clean_title_text(raw: str, text: str) -> None:
    assert clean_title(raw).text == text


def test_slash_alternatives_become_readings() -> None:
    assert clean_title("Cook/Chef").variants == ["Cook/Chef", "Cook", "Chef"]
    assert clean_title("Shipping/Receiving Clerk").alternates == ("Shipping Clerk", "Receiving Clerk")
    assert "Personal Care Aide" in clean_title("Caregiver/Personal Care Aide").alternates
    assert clean_title("Auto Tech/Mechanic").alternates == ("Auto Technician", "Auto Mechanic")


def test_qualifier_goes_in_front_and_head_stays_a_reading() -> None:
    c = clean_title("Principal - Elementary School")
    assert c.text == "Elementary School Principal"  # "Principal" is the job here, not a marker
    assert c.alternates == ("Principal",)


def test_marker_alone_or_belonging_to_the_job_is_kept() -> None:
    assert clean_title("Principal").text == "Principal"
    assert clean_title("Staff").text == "Staff"
    assert clean_title("Junior High Teacher").text == "Junior High Teacher"
    assert clean_title("Lead Abatement Worker").text == "Lead Abatement Worker"


def test_case_sensitive_abbreviations() -> None:
    assert clean_title("Surg Tech - OR").text == "Surgical Technician"  # unit suffix dropped
    assert "Information Technology" not in clean_title("it support").text
    assert clean_title("PT Asst").text == "Physical Therapist Assistant"


def test_warehouse_associate_reads_as_stock_work() -> None:
    text = clean_title("Warehouse Associate - 2nd Shift").text
    assert "stock" in text and "data" not in text
    assert "industrial truck" in clean_title("forklift driver").text


def test_markers_are_kept_in_a_marked_reading() -> None:
    c = clean_title("Sr. SWE II")
    assert c.text == "Software Engineer"
    assert c.marked == ("Senior Software Engineer II",)
    assert clean_title("CNA").marked == ()


def test_levelled_catalog_keeps_its_levels(fake_encoder) -> None:  # type: ignore[no-untyped-def]
    from engine.title_match import TitleMatcher

    m = TitleMatcher.build(
        ["de", "sde", "cook"],
        ["Data Engineer", "Senior Data Engineer", "Restaurant Cook"],
        ["Builds data pipelines.", "Leads data pipeline work.", "Cooks meals."],
        fake_encoder.encode,
    )
    top = [row[0][0] for row in m.match(["Sr. Data Engineer", "Data Eng II", "Senior Data Engineer", "Line Cook - AM"])]
    assert top == ["sde", "de", "sde", "cook"]


def test_clean_title_is_total() -> None:
    for raw in ["", "   ", "()", " - ", "II", "(Night Shift)", "/", "Sr.", "#42"]:
        c = clean_title(raw)
        assert isinstance(c.text, str)
        assert c.variants  # never empty


def test_messy_set_is_well_formed(onet_dir: Path) -> None:
    occupations: dict[str, str] = {}
    with (onet_dir / "Occupation Data.txt").open(encoding="utf-8") as f:
        for line in f.read().splitlines()[1:]:
            code, title, *_ = line.split("\t")
            occupations[code] = title
    rows = _rows()
    assert len(rows) >= 100
    assert len({r["messy_title"] for r in rows}) == len(rows)
    for r in rows:
        assert occupations.get(r["onet_code"]) == r["onet_title"], r
        assert r["note"].strip(), r


# ----------------------------------------------------------------------------- matcher (real model)


@pytest.fixture(scope="module")
def onet_matcher(onet_dir: Path, real_encoder):  # type: ignore[no-untyped-def]
    from engine.importers.onet import read_onet
    from engine.title_match import TitleMatcher

    roles = read_onet(onet_dir).roles
    return TitleMatcher.build(
        [r.id for r in roles], [r.title for r in roles], [r.description for r in roles], real_encoder.encode
    )


def _hit_rates(matcher, rows: list[dict[str, str]], *, clean: bool) -> dict[int, float]:  # type: ignore[no-untyped-def]
    found = matcher.match([r["messy_title"] for r in rows], k=5, clean=clean)
    return {
        k: sum(r["onet_code"] in [rid for rid, _ in f[:k]] for r, f in zip(rows, found, strict=True)) / len(rows)
        for k in (1, 3, 5)
    }


@pytest.mark.slow
def test_messy_titles_hit_rate(onet_matcher) -> None:  # type: ignore[no-untyped-def]
    rows = _rows()
    after = _hit_rates(onet_matcher, rows, clean=True)
    before = _hit_rates(onet_matcher, rows, clean=False)
    assert after[3] >= TOP3_FLOOR, (before, after)
    assert after[1] >= TOP1_FLOOR, (before, after)
    assert after[3] > before[3] + 0.15, (before, after)


@pytest.mark.slow
def test_named_messy_titles(onet_matcher) -> None:  # type: ignore[no-untyped-def]
    cases = {
        "Warehouse Associate": "53-7062.00",
        "forklift driver": "53-7051.00",
        "Sr. SWE II": "15-1252.00",
        "Head of People Ops": "11-3121.00",
        "CNA": "31-1131.00",
    }
    found = onet_matcher.match(list(cases), k=3)
    for (title, code), top in zip(cases.items(), found, strict=True):
        assert code in [rid for rid, _ in top], (title, top)
    assert found[0][0][0] != "15-1243.01"  # not Data Warehousing Specialists
    cna = dict(found[list(cases).index("CNA")])
    assert cna["31-1131.00"] >= 0.6  # was 0.38 before cleaning


@pytest.mark.slow
def test_onet_alternate_titles_do_not_regress(onet_matcher, onet_dir: Path) -> None:  # type: ignore[no-untyped-def]
    """`eval titles` on the dev labels: acc@5 0.549 before cleaning, 0.550 with it; floor 0.54."""
    from engine.evaluation import read_titles

    pairs = read_titles(onet_dir.parent / "onet-eval" / "alternate_titles_dev.txt")
    titles = [t.strip() for t, _ in pairs]
    found = [m for i in range(0, len(titles), 2000) for m in onet_matcher.match(titles[i : i + 2000], k=5)]
    at5 = sum(code in [rid for rid, _ in f] for (_, code), f in zip(pairs, found, strict=True)) / len(pairs)
    assert len(pairs) == 26935
    assert at5 >= 0.54, at5
