"""Messy job title -> the readings the title matcher should score.

People type titles as they appear on badges and job boards: "Sr. SWE II",
"RN - ICU nights", "CNA (PRN)", "Cook/Chef", "Head of People Ops". The catalog
speaks O*NET ("Software Developers", "Registered Nurses"). :func:`clean_title`
bridges the two with small, reviewable tables, applied in this order:

1. dotted acronyms are closed up ("C.N.A." -> "CNA") and dashes normalised;
2. parentheticals are dropped: they hold schedules, shifts, credentials already
   in the title, or asides ("(Night Shift)", "(RRT)", "(Linux)");
3. the title splits at `` - ``, ``|`` and ``,`` into a head and qualifiers;
   qualifier words that only describe the shift, schedule, unit or location
   (:data:`NOISE_WORDS`, "Store 42", "#1234", "2nd Shift") are dropped, and what
   is left of a qualifier ("Apparel", "3rd Grade") is put in front of the head;
4. abbreviations are expanded (:data:`ABBREVIATIONS`; a few only in capitals,
   :data:`CAPS_ONLY`, because "it" or "or" are ordinary words);
5. seniority and grade markers are removed ("Senior", "Staff", "Principal",
   "Lead", "II", "Level 3", "L4", "Grade 7"), unless nothing else is left;
   "Head of X", "Director of X", "VP of X" read as "X Manager";
6. phrase rewrites give domain sense to words the encoder reads in the wrong
   industry (:data:`PHRASE_REWRITES`: "Warehouse Associate" is a warehouse
   worker moving stock, not a data-warehousing specialist);
7. "A/B" alternatives become separate readings ("Cook/Chef" -> "Cook", "Chef";
   "Shipping/Receiving Clerk" -> "Shipping Clerk", "Receiving Clerk").

The tables are engineering judgement about how titles are written; they were not
derived from any evaluation labels. Everything here is pure string work.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "ABBREVIATIONS",
    "CAPS_ONLY",
    "NOISE_WORDS",
    "PHRASE_REWRITES",
    "CleanTitle",
    "clean_title",
]

# ----------------------------------------------------------------------------- tables

#: Token (lower case, trailing dot removed) -> expansion. Matched case-insensitively.
ABBREVIATIONS: dict[str, str] = {
    # software and IT
    "swe": "Software Engineer",
    "sde": "Software Development Engineer",
    "sre": "Site Reliability Engineer",
    "dba": "Database Administrator",
    "qa": "Quality Assurance",
    "qc": "Quality Control",
    "ux": "User Experience",
    "ui": "User Interface",
    "infosec": "Information Security",
    "sysadmin": "Systems Administrator",
    "sys": "Systems",
    "dev": "Developer",
    "devs": "Developers",
    "eng": "Engineer",
    "engr": "Engineer",
    "pen": "Penetration",
    # healthcare
    "rn": "Registered Nurse",
    "lpn": "Licensed Practical Nurse",
    "lvn": "Licensed Vocational Nurse",
    "cna": "Certified Nursing Assistant",
    "np": "Nurse Practitioner",
    "crna": "Nurse Anesthetist",
    "pta": "Physical Therapist Assistant",
    "ota": "Occupational Therapy Assistant",
    "cota": "Occupational Therapy Assistant",
    "cma": "Certified Medical Assistant",
    "pct": "Patient Care Technician",
    "emt": "Emergency Medical Technician",
    "emt-b": "Emergency Medical Technician",
    "emt-p": "Paramedic",
    "rrt": "Respiratory Therapist",
    "cnc": "Computer Numerically Controlled",
    "icu": "Intensive Care Unit",
    "pharm": "Pharmacy",
    "med": "Medical",
    "surg": "Surgical",
    "rad": "Radiologic",
    "resp": "Respiratory",
    "vet": "Veterinary",
    "lab": "Laboratory",
    "clin": "Clinical",
    # business, finance, HR
    "hr": "Human Resources",
    "hrbp": "Human Resources Business Partner",
    "l&d": "Learning and Development",
    "comp": "Compensation",
    "ops": "Operations",
    "mgr": "Manager",
    "mngr": "Manager",
    "asst": "Assistant",
    "assoc": "Associate",
    "coord": "Coordinator",
    "coor": "Coordinator",
    "spec": "Specialist",
    "rep": "Representative",
    "reps": "Representatives",
    "csr": "Customer Service Representative",
    "svc": "Service",
    "svcs": "Services",
    "cust": "Customer",
    "acct": "Accountant",
    "acctg": "Accounting",
    "fin": "Financial",
    "mktg": "Marketing",
    "exec": "Executive",
    "vp": "Vice President",
    "svp": "Vice President",
    "evp": "Vice President",
    "avp": "Vice President",
    "dir": "Director",
    "gm": "General Manager",
    "ceo": "Chief Executive Officer",
    "cfo": "Chief Financial Officer",
    "dept": "Department",
    # trades, production, logistics
    "tech": "Technician",
    "techs": "Technicians",
    "mech": "Mechanic",
    "maint": "Maintenance",
    "mfg": "Manufacturing",
    "op": "Operator",
    "opr": "Operator",
    "cdl": "Tractor-Trailer Truck",
    "cdl-a": "Tractor-Trailer Truck",
    "cdl-b": "Truck",
    "otr": "Long Haul",
    "hvac": "HVAC Heating and Air Conditioning",
    # education
    "prof": "Professor",
    "para": "Paraprofessional",
    "sped": "Special Education",
    "esl": "English as a Second Language",
    "sub": "Substitute",
}

#: Expanded only when written in capitals: in lower case they are ordinary words.
CAPS_ONLY: dict[str, str] = {
    "IT": "Information Technology",
    "PM": "Project Manager",
    "AP": "Accounts Payable",
    "AR": "Accounts Receivable",
    "BI": "Business Intelligence",
    "HS": "High School",
    "OR": "Operating Room",
    "ER": "Emergency Room",
    "MA": "Medical Assistant",
    "PA": "Physician Assistant",
}

#: Context-dependent readings: (word before or after, token) -> expansion.
_BEFORE_MANAGER = {"manager", "mgr", "director", "dir", "lead", "head", "vp"}
_CONTEXT: dict[str, tuple[set[str], str]] = {
    # "Eng Manager" is an engineering manager, "Dev Manager" a development manager ...
    "eng": (_BEFORE_MANAGER, "Engineering"),
    "dev": (_BEFORE_MANAGER, "Development"),
    # ... "Acct Manager" / "Acct Exec" / "Acct Rep" an account one
    "acct": (_BEFORE_MANAGER | {"exec", "executive", "rep", "representative"}, "Account"),
    # "Admin Asst" is administrative, "Network Admin" an administrator
    "admin": ({"asst", "assistant", "assistants", "support", "coordinator", "coord", "specialist", "spec"},
              "Administrative"),
}
_FALLBACK = {"admin": "Administrator"}



def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Words that only say when, where or on what terms the job is done.
NOISE_WORDS: frozenset[str] = _wordset(
    """
    night nights overnight overnights day days evening evenings weekend weekends weekday weekdays
    morning mornings afternoon afternoons noc swing graveyard shift shifts rotating rotation
    am pm hr hrs hour hours 8hr 10hr 12hr 24hr
    prn per diem ft pt fte full part time full-time part-time temp temporary seasonal contract contractor
    contingent casual relief float pool remote hybrid onsite on-site office travel traveling travelling
    store location site branch region regional local downtown campus home based home-based
    icu nicu picu pacu er ed or med surg med-surg telemetry tele unit floor ward
    flexible flex schedule sign-on bonus hiring immediate immediately needed
    armed unarmed
    """
)

#: Seniority, grade and rank markers removed from the head.
_MARKERS = _wordset("sr sr. senior jr jr. junior lead principal staff entry-level apprentice journeyman trainee")
#: ... but not in these phrases, where the marker word belongs to the job.
_MARKER_KEEP = {
    "junior": {"high", "college"},
    "senior": {"center", "citizen", "citizens", "living", "care", "services", "high"},
    "lead": {"abatement", "burner", "paint", "remediation", "smelter", "poisoning"},
    "staff": {"sergeant"},
}
_SPELLED = {"sr": "Senior", "jr": "Junior"}
_ROMAN_OR_DIGIT = re.compile(r"^(?:i{1,3}|iv|v|vi|[1-9])$", re.IGNORECASE)
_GRADE = re.compile(r"\b(?:level|lvl|grade|band|tier|step)\s*[0-9ivx]+\b|\b(?:l|ic)[0-9]\b", re.IGNORECASE)
_ENTRY = re.compile(r"\bentry[\s-]level\b", re.IGNORECASE)
_RANK_OF = re.compile(
    r"^(?:head|director|vice president|senior vice president|executive director|managing director)"
    r"\s+of\s+(?:the\s+)?(.+)$",
    re.IGNORECASE,
)
_HEAD_KEEP = {"or", "er", "ed", "pm", "am", "unit", "floor", "office", "home", "travel", "store"}
_RANK_ONLY = {"head", "director", "vice president", "dir", "vp", "svp", "evp", "avp"}

#: Department names read the way the catalog says them (after "Head of ..." etc.).
_DEPARTMENTS: dict[str, str] = {
    "people": "Human Resources",
    "people operations": "Human Resources",
    "people and culture": "Human Resources",
    "people & culture": "Human Resources",
    "talent": "Human Resources",
    "human resources": "Human Resources",
}

#: Lower-case phrase (regular expression) -> replacement, applied after expansion.
PHRASE_REWRITES: tuple[tuple[str, str], ...] = (
    # "Associate" is how retail and warehouses say "worker"
    (r"\b(?:retail\s+)?sales\s+associate\b", "retail salesperson"),
    (r"\b(?:warehouse|distribution|fulfillment|fulfilment|dock)\s+(?:associate|worker|team member|laborer)\b",
     "warehouse laborer, freight and stock mover"),
    (r"\b(?:stock|stocking|inventory)\s+(?:associate|team member|clerk associate)\b", "stocker"),
    (r"\b(?:production|manufacturing|assembly)\s+(?:associate|team member)\b", "production worker"),
    (r"\bmaterials?\s+handler\b", "material handler, freight and stock mover"),
    (r"\bpackage\s+handler\b", "package handler, freight and stock mover"),
    (r"\bforklift\s+(?:driver|operator)\b", "forklift operator, industrial truck operator"),
    (r"\bforklift\b", "forklift industrial truck"),
    (r"\b(?:order\s+)?picker\b(?!/)", "order picker, order filler"),
    (r"\bshift\s+(?:lead|leader)\b", "shift supervisor"),
    (r"\bwarehouse\s+supervisor\b", "supervisor of warehouse laborers and material movers"),
    (r"\bwarehouse\s+manager\b", "warehouse storage and distribution manager"),
    (r"\bdelivery\s+driver\b", "delivery driver, light truck driver"),
    (r"\b(?:assistant\s+)?store\s+manager\b", "store manager, supervisor of retail sales workers"),
    (r"\boffice\s+manager\b", "office manager, supervisor of office and administrative support workers"),
    (r"\bplant\s+manager\b", "plant manager, industrial production manager"),
    (r"\bhelp\s+desk\b", "help desk computer user support"),
    (r"\bprep\s+cook\b", "prep cook, food preparation worker"),
    (r"\bparaprofessional\b", "paraprofessional teaching assistant"),
    (r"\bpatient\s+care\s+technician\b", "patient care technician, nursing assistant"),
    (r"\bcall\s+center\s+(?:agent|representative)\b", "call center customer service representative"),
    (r"\bsecurity\s+officer\b", "security officer, security guard"),
    (r"\btalent\s+acquisition\b", "recruiting human resources"),
    (r"\brecruiter\b", "recruiter, human resources"),
    (r"\bhousekeeper\b|\broom\s+attendant\b", "housekeeping cleaner, room attendant"),
)
_REWRITES = [(re.compile(p, re.IGNORECASE), r) for p, r in PHRASE_REWRITES]

# ----------------------------------------------------------------------------- result


@dataclass(frozen=True)
class CleanTitle:
    """The readings of one raw title.

    ``text`` is the cleaned title, ``alternates`` its other readings ("A/B" splits, the
    head without its qualifier), both without seniority or grade markers. ``marked``
    repeats those readings with the markers kept ("Senior Software Engineer II"), for
    catalogs whose roles are levelled: there "Senior Data Engineer" must still find the
    senior role rather than "Data Engineer".
    """

    raw: str
    text: str
    alternates: tuple[str, ...] = ()
    marked: tuple[str, ...] = ()

    @property
    def variants(self) -> list[str]:
        """All readings, unmarked first, without duplicates (never empty)."""
        out: list[str] = []
        for v in (self.text, *self.alternates, *self.marked):
            if v and v not in out:
                out.append(v)
        return out or [self.raw]


# ----------------------------------------------------------------------------- steps


def _close_acronyms(text: str) -> str:
    """"C.N.A." -> "CNA", "R.N." -> "RN" (two or more single letters, each with a dot)."""
    return re.sub(r"\b(?:[A-Za-z]\.){2,}", lambda m: m.group(0).replace(".", ""), text)


def _is_noise_segment(words: list[str]) -> bool:
    return all(w.lower().strip(".#") in NOISE_WORDS or re.fullmatch(r"#?\d+[a-z]*", w.lower()) for w in words)


def _strip_noise(segment: str) -> str:
    """Words of a qualifier that say something about the job (shift, unit, place dropped)."""
    seg = re.sub(r"\b(?:store|location|site|branch|unit)\s*#?\s*\d+\b", " ", segment, flags=re.IGNORECASE)
    seg = re.sub(r"#\s*\d+", " ", seg)
    seg = re.sub(r"\b\d+(?:st|nd|rd|th)\s+shift\b", " ", seg, flags=re.IGNORECASE)
    seg = re.sub(r"\b\d+\s*(?:hr|hrs|hour|hours)\b", " ", seg, flags=re.IGNORECASE)
    words = [w for w in re.split(r"[\s/&,]+", seg) if w]
    if _is_noise_segment(words):
        return ""
    return " ".join(w for w in words if w.lower() not in NOISE_WORDS)


def _expand_token(tok: str, nxt: str) -> str:
    bare = tok.rstrip(".")
    if bare in CAPS_ONLY:
        if bare == "PM" and nxt.lower() in {"shift", "shifts"}:
            return ""
        return CAPS_ONLY[bare]
    low = bare.lower()
    if low == "pt":
        return "Physical Therapist" if nxt.lower().rstrip(".") in {"asst", "assistant", "aide"} else ""
    if low == "ft":
        return ""
    if low in _CONTEXT:
        ctx, reading = _CONTEXT[low]
        if nxt.lower().rstrip(".") in ctx:
            return reading
    if low in _FALLBACK:
        return _FALLBACK[low]
    if low == "sub" and nxt.lower() not in {"teacher", "teachers"}:
        return tok
    if low == "pen" and not nxt.lower().startswith("test"):
        return tok
    return ABBREVIATIONS.get(low, tok)


def _expand(text: str) -> str:
    toks = text.split()
    out = []
    for i, t in enumerate(toks):
        nxt = toks[i + 1] if i + 1 < len(toks) else ""
        if "/" in t and t != "/":  # "UX/UI": expand each side
            out.append("/".join(_expand_token(p, nxt) or p for p in t.split("/")))
            continue
        out.append(_expand_token(t, nxt))
    return " ".join(o for o in out if o)


def _strip_markers(text: str, *, keep_one: bool = True, strip: bool = True) -> str:
    """Remove seniority and grade markers; with ``keep_one`` a title never ends up empty.

    With ``strip`` false the markers stay, only spelled out ("Sr." -> "Senior")."""
    stripped = _GRADE.sub(" ", _ENTRY.sub(" ", text)) if strip else text
    words = stripped.split()
    kept: list[str] = []
    for i, w in enumerate(words):
        low = w.lower().rstrip(".")
        prev = words[i - 1].lower() if i else ""
        nxt = words[i + 1].lower() if i + 1 < len(words) else ""
        if low in {"lead", "leader"} and prev in {"shift", "crew"}:  # "Shift Lead" supervises the shift
            kept.append("Supervisor")
            continue
        if not strip:
            kept.append(_SPELLED.get(low, w))
            continue
        if low in _MARKERS and nxt not in _MARKER_KEEP.get(low, set()):
            continue
        if _ROMAN_OR_DIGIT.match(w) and i == len(words) - 1 and i > 0:
            continue
        kept.append(w)
    if not kept:
        return text.strip() if keep_one else ""
    return " ".join(kept)


def _rank_of(text: str) -> str:
    """"Head of People Operations" -> "Human Resources Manager"."""
    m = _RANK_OF.match(text.strip())
    if not m:
        return text
    dept = m.group(1).strip()
    dept = _DEPARTMENTS.get(dept.lower(), dept)
    return f"{dept} Manager"


def _rewrite(text: str) -> str:
    for pat, rep in _REWRITES:
        text = pat.sub(rep, text)
    return text


_AGENT = re.compile(r"(?:er|or|ist|ian|ant|ent|ess|man|ee|aide|tech|giver)$", re.IGNORECASE)


def _alternatives(text: str) -> list[str]:
    """"Shipping/Receiving Clerk" -> ["Shipping Clerk", "Receiving Clerk"]; no "/" -> []."""
    m = re.search(r"(\S+)\s*/\s*(\S+)", text)
    if not m:
        return []
    head, tail = text[: m.start()], text[m.end():]
    left, right = m.group(1), m.group(2)
    if tail.strip() and not _AGENT.search(left):  # a shared head noun follows: "Shipping/Receiving Clerk"
        out = [f"{head}{left}{tail}", f"{head}{right}{tail}"]
    else:  # "Caregiver/Personal Care Aide", "Cook/Chef", "Auto Tech/Mechanic"
        out = [f"{head}{left}", f"{head}{text[m.start(2):]}"]
    res = []
    for o in out:
        o = re.sub(r"\s+", " ", o).strip(" ,")
        res.extend(_alternatives(o) or [o])
    return res


def _tidy(text: str) -> str:
    text = re.sub(r"\s+", " ", text.replace("&", " and ")).strip(" ,-")
    words = text.split()
    out = [w for i, w in enumerate(words) if i == 0 or w.lower() != words[i - 1].lower()]
    return " ".join(out)


# ----------------------------------------------------------------------------- entry point


def _reading(head: str, qual: str = "", *, strip: bool = True) -> str:
    """One reading: the head's abbreviations, markers and "Head of" resolved, the qualifier
    put in front ("Principal" stays: it is the whole head), then rewrites and tidying."""
    text = _rank_of(_strip_markers(_expand(head), strip=strip))
    return _tidy(_rewrite(f"{qual} {text}" if qual else text))


def clean_title(raw: str) -> CleanTitle:
    """The matcher's readings of a raw title (see module docstring for the steps)."""
    text = _close_acronyms(raw.strip())
    text = re.sub(r"\s*[\u2013\u2014]\s*", " - ", text)
    text = re.sub(r"\s*\([^)]*\)|\s*\[[^\]]*\]", " ", text)
    text = re.sub(r"\bto\s+(?:the\s+)?[A-Z]{2,4}\b", " ", text)  # "Exec Asst to CEO"
    parts = [p.strip() for p in re.split(r"\s+-\s+|\s*\|\s*|\s*,\s*|\s+@\s+", text) if p.strip()]
    if not parts:
        return CleanTitle(raw=raw, text=raw.strip())
    head, quals = parts[0], parts[1:]
    head = re.sub(r"\b(?:ft|pt|prn)\s*/\s*(?:ft|pt|prn)\b", " ", head, flags=re.IGNORECASE)
    head = re.sub(r"\b(?:per\s+diem|prn)\b", " ", head, flags=re.IGNORECASE)
    hw = head.split()  # the head's own trailing noise: "X-Ray Tech PRN", "Resp Therapist Nights"
    while len(hw) > 1 and hw[-1].lower() in NOISE_WORDS - _HEAD_KEEP:
        hw.pop()
    head = " ".join(hw)
    kept = [q for q in (_strip_noise(q) for q in quals) if q]
    if head.lower().rstrip(".") in _RANK_ONLY and kept:  # "VP, People"
        head, kept = f"Head of {kept[0]}", kept[1:]
    qual = " ".join(_strip_markers(_expand(q), keep_one=False) for q in kept).strip()
    heads = [head, *_alternatives(head)]

    def readings(strip: bool) -> list[str]:
        out = [_reading(h, qual, strip=strip) for h in heads] if qual else []
        out += [_reading(h, strip=strip) for h in heads]
        return [r for r in dict.fromkeys(out) if r]

    plain = readings(True)
    if not plain:
        return CleanTitle(raw=raw, text=raw.strip())
    marked = tuple(r for r in readings(False) if r not in plain)
    return CleanTitle(raw=raw, text=plain[0], alternates=tuple(plain[1:]), marked=marked)
