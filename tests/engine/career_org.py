"""A second organisation for the career-sense properties: a manufacturer that also runs a bank
branch network and a hotel group (three industries unlike the demo's). Hand-written roles,
ladders and learning items; people drawn from a seeded generator so the org is reproducible.

Each family has a ladder; manufacturing and banking have a dual ladder (an IC and a management
track from level 3). Learning items are in-domain (a kitchen leadership course, lean for
supervisors) or generic (a first-time leader programme), so a plan can be judged for domain.
"""

from __future__ import annotations

import datetime as dt
import random

from engine.models import Employee, LearningItem, Role, Skill, Transition

__all__ = ["FAMILIES", "career_org"]

REFERENCE = dt.date(2025, 6, 30)

# family -> [(role id, title, level, track, next roles, requirements {skill: level})]
LADDERS: dict[str, list[tuple[str, str, int, str | None, list[str], dict[str, int]]]] = {
    "manufacturing": [
        ("machine-operator", "Machine Operator", 1, None, ["senior-machine-operator"],
         {"machine-setup": 2, "plant-safety": 2, "quality-checks": 1}),
        ("senior-machine-operator", "Senior Machine Operator", 2, None, ["process-technician", "shift-supervisor"],
         {"machine-setup": 3, "plant-safety": 3, "quality-checks": 2, "lean-methods": 1}),
        ("process-technician", "Process Technician", 3, "ic", ["process-engineer"],
         {"machine-setup": 4, "plant-safety": 3, "quality-checks": 3, "lean-methods": 2, "root-cause": 3}),
        ("shift-supervisor", "Shift Supervisor", 3, "management", ["production-manager"],
         {"machine-setup": 3, "plant-safety": 4, "quality-checks": 2, "team-leadership": 3, "scheduling": 2}),
        ("process-engineer", "Process Engineer", 4, "ic", [],
         {"lean-methods": 4, "root-cause": 4, "quality-checks": 4, "statistics": 3}),
        ("production-manager", "Production Manager", 4, "management", [],
         {"plant-safety": 4, "team-leadership": 4, "scheduling": 3, "budgeting": 3, "lean-methods": 3}),
    ],
    "banking": [
        ("bank-teller", "Bank Teller", 1, None, ["personal-banker"],
         {"cash-handling": 3, "customer-service": 2, "compliance-basics": 1}),
        ("personal-banker", "Personal Banker", 2, None, ["credit-analyst", "assistant-branch-manager"],
         {"cash-handling": 3, "customer-service": 3, "compliance-basics": 2, "lending-products": 2}),
        ("credit-analyst", "Credit Analyst", 3, "ic", ["senior-credit-analyst"],
         {"lending-products": 3, "credit-analysis": 3, "compliance-basics": 3, "financial-statements": 3}),
        ("assistant-branch-manager", "Assistant Branch Manager", 3, "management", ["branch-manager"],
         {"customer-service": 4, "lending-products": 3, "compliance-basics": 3, "team-leadership": 3}),
        ("senior-credit-analyst", "Senior Credit Analyst", 4, "ic", [],
         {"credit-analysis": 4, "financial-statements": 4, "compliance-basics": 3, "risk-modelling": 3}),
        ("branch-manager", "Branch Manager", 4, "management", [],
         {"team-leadership": 4, "budgeting": 3, "compliance-basics": 4, "lending-products": 3}),
    ],
    "hospitality": [
        ("line-cook", "Line Cook", 1, None, ["sous-chef"], {"food-prep": 3, "food-safety": 2, "kitchen-ops": 1}),
        ("sous-chef", "Sous Chef", 2, None, ["head-chef"],
         {"food-prep": 4, "food-safety": 3, "kitchen-ops": 3, "menu-costing": 2, "team-leadership": 2}),
        ("head-chef", "Head Chef", 3, None, [],
         {"food-prep": 4, "food-safety": 4, "kitchen-ops": 4, "menu-costing": 3, "team-leadership": 3,
          "budgeting": 2}),
        ("front-desk-agent", "Front Desk Agent", 1, None, ["front-office-supervisor"],
         {"guest-relations": 3, "reservations": 2, "customer-service": 2}),
        ("front-office-supervisor", "Front Office Supervisor", 2, None, ["front-office-manager"],
         {"guest-relations": 4, "reservations": 3, "customer-service": 3, "team-leadership": 2}),
        ("front-office-manager", "Front Office Manager", 3, None, [],
         {"guest-relations": 4, "reservations": 3, "team-leadership": 3, "budgeting": 2, "scheduling": 3}),
    ],
}
FAMILIES = tuple(LADDERS)

SKILLS = sorted({s for ladder in LADDERS.values() for *_, req in ladder for s in req})

# (id, title, description, hours, {skill: to_level}); in-domain items say their industry.
ITEMS: list[tuple[str, str, str, float, dict[str, int]]] = [
    ("first-time-leader", "First-Time Leader Programme", "Leading a team for new supervisors in any business.",
     16, {"team-leadership": 3}),
    ("leading-leaders", "Leading Leaders", "Managing managers, any function.", 30, {"team-leadership": 4}),
    ("kitchen-brigade", "Kitchen Brigade Leadership", "Running a restaurant kitchen team: chefs and cooks.",
     10, {"team-leadership": 3, "kitchen-ops": 3}),
    ("plant-floor-lead", "Plant Floor Team Leadership", "Leading a shift of machine operators in a factory.",
     14, {"team-leadership": 3}),
    ("branch-leadership", "Branch Leadership Academy", "Leading a retail bank branch team.",
     24, {"team-leadership": 4}),
    ("osha-30", "OSHA 30 General Industry", "Factory and plant workplace safety.", 30, {"plant-safety": 4}),
    ("safety-basics", "Plant Safety Basics", "Lockout-tagout and machine guarding on the shop floor.",
     8, {"plant-safety": 2}),
    ("safety-advanced", "Machine Safety for Operators", "Safe machine setup and guarding for plant operators.",
     12, {"plant-safety": 3}),
    ("servsafe", "ServSafe Food Protection Manager", "Food safety certification for kitchens.",
     12, {"food-safety": 4}),
    ("food-handler", "Food Handler Card", "Food safety basics for cooks.", 3, {"food-safety": 2}),
    ("haccp-kitchen", "HACCP for Kitchens", "Hazard analysis in a restaurant kitchen.", 8, {"food-safety": 3}),
    ("knife-skills", "Knife Skills and Prep", "Professional kitchen prep technique.", 12, {"food-prep": 3}),
    ("advanced-cuisine", "Advanced Cuisine Lab", "Sauces, butchery and plating for chefs.", 40, {"food-prep": 4}),
    ("kitchen-ops-course", "Kitchen Operations", "Ordering, stations and service flow in a kitchen.",
     16, {"kitchen-ops": 4}),
    ("menu-costing-course", "Menu Costing", "Food cost, yields and menu pricing.", 10, {"menu-costing": 3}),
    ("setup-101", "Machine Setup Fundamentals", "Changeovers and setup on production machines.",
     16, {"machine-setup": 3}),
    ("setup-adv", "Advanced Machine Setup", "Complex changeovers and tooling.", 24, {"machine-setup": 4}),
    ("spc", "Statistical Process Control", "Control charts for production quality.", 20,
     {"quality-checks": 4, "statistics": 3}),
    ("qc-basics", "Quality Checks on the Line", "Inspection and gauges for operators.", 8, {"quality-checks": 3}),
    ("lean-yellow", "Lean Yellow Belt", "Lean basics for production teams.", 10, {"lean-methods": 2}),
    ("lean-green", "Lean Green Belt", "Lean projects in manufacturing.", 40, {"lean-methods": 4}),
    ("rca-8d", "Root Cause Analysis (8D)", "Problem solving on the plant floor.", 16, {"root-cause": 4}),
    ("cash-course", "Cash Handling and Balancing", "Teller cash procedures.", 6, {"cash-handling": 3}),
    ("aml-kyc", "AML and KYC Essentials", "Bank compliance for branch staff.", 8, {"compliance-basics": 3}),
    ("bank-compliance-adv", "Banking Compliance Advanced", "Regulation for branch managers.",
     20, {"compliance-basics": 4}),
    ("lending-101", "Consumer Lending Products", "Mortgages, loans and cards for bankers.", 12,
     {"lending-products": 3}),
    ("credit-101", "Credit Analysis Fundamentals", "Analysing borrowers and cash flow.", 30,
     {"credit-analysis": 3, "financial-statements": 3}),
    ("credit-adv", "Commercial Credit Analysis", "Complex credit for senior analysts.", 40,
     {"credit-analysis": 4, "financial-statements": 4}),
    ("risk-models", "Credit Risk Modelling", "Scorecards and PD models.", 30, {"risk-modelling": 3}),
    ("customer-excellence", "Customer Service Excellence", "Service skills for any front-line role.",
     8, {"customer-service": 4}),
    ("guest-service", "Hotel Guest Relations", "Service recovery and VIP guests at the front desk.",
     10, {"guest-relations": 4}),
    ("pms-training", "Property Management System", "Hotel reservations and room inventory.", 8,
     {"reservations": 3}),
    ("budgeting-managers", "Budgeting for Managers", "Budgets and variance for any manager.", 12,
     {"budgeting": 3}),
    ("shift-scheduling", "Shift Scheduling", "Rosters and labour planning.", 6, {"scheduling": 3}),
]


def _roles() -> list[Role]:
    out = []
    for family, ladder in LADDERS.items():
        for rid, title, level, track, nxt, req in ladder:
            out.append(Role(
                id=rid, title=title, family=family, level=level, track=track, next_role_ids=nxt,
                description=f"{title} in our {family} business.",
                requirements=[{"skill_id": s, "level": lv, "weight": 1.0} for s, lv in req.items()],
                open_positions=1 if level <= 3 else 0,
            ))
    return out


def career_org(seed: int = 11, per_role: int = 14) -> list:
    """Records of the org (skills, roles, items, employees, dated transitions)."""
    rng = random.Random(seed)
    skills = [Skill(id=s, name=s.replace("-", " ").title()) for s in SKILLS]
    roles = _roles()
    by_id = {r.id: r for r in roles}
    preds: dict[str, list[str]] = {r.id: [] for r in roles}
    for r in roles:
        for n in r.next_role_ids:
            preds[n].append(r.id)
    items = [
        LearningItem(id=i, title=t, description=d, hours=h, format="course",
                     skills=[{"skill_id": s, "to_level": lv} for s, lv in sk.items()])
        for i, t, d, h, sk in ITEMS
    ]
    people: list[Employee] = []
    moves: list[Transition] = []
    n = 0
    for r in roles:
        for _ in range(per_role if r.level <= 2 else per_role // 2):
            n += 1
            eid = f"W{n:04d}"
            months = rng.randint(2, 60)
            # Most people meet most of their role; a few are ahead on the next rung's skills.
            lv = {q.skill_id: max(0, min(5, q.level + rng.choice((-1, 0, 0, 0, 1)))) for q in r.requirements}
            for nxt in r.next_role_ids:
                for q in by_id[nxt].requirements:
                    if rng.random() < 0.3:
                        lv[q.skill_id] = max(lv.get(q.skill_id, 0), q.level - rng.choice((0, 1)))
            people.append(Employee(
                id=eid, display_name=f"Worker {n}", role_id=r.id, months_in_role=months,
                skills=[{"skill_id": s, "level": v} for s, v in lv.items() if v > 0],
            ))
            if preds[r.id] and rng.random() < 0.7:
                entered = REFERENCE - dt.timedelta(days=int(months * 30.44))
                prev = rng.choice(preds[r.id])
                moves.append(Transition(from_role_id=prev, to_role_id=r.id, employee_id=eid, date=entered))
                if preds[prev] and rng.random() < 0.6:
                    before = entered - dt.timedelta(days=int(rng.randint(14, 40) * 30.44))
                    moves.append(Transition(from_role_id=rng.choice(preds[prev]), to_role_id=prev,
                                            employee_id=eid, date=before))
    return [*skills, *roles, *items, *people, *moves]
