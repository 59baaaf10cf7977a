"""Plain-text tables of `RegionFigures` for `kaari synth --report`."""

from __future__ import annotations

from kaari.synth.analysis import PUBLISHED_TOP10, RegionFigures


def report_format(figures: RegionFigures) -> str:
    f = figures
    lines = [
        f"Residents {f.residents}, resources {f.resources} ({f.resources / max(1, f.residents):.1f} per resident), "
        f"deceased in the window {f.deceased}, turvakielto {f.turvakielto} ({f.turvakielto / max(1, f.residents):.2%})",
        "",
        f"Costs of the last 12 months: {f.total_cost:,.0f} EUR over {f.cost_population} residents "
        f"({f.total_cost / max(1, f.cost_population):,.0f} EUR per resident)",
        "Lorenz: share of total cost used by the costliest",
    ]
    for top, share in f.lorenz.items():
        published = f"   (Oulu, Leskelä et al. 2013: {PUBLISHED_TOP10:.0%})" if top == 0.10 else ""
        lines.append(f"  top {top:>4.0%}  {share:6.1%}{published}")
    lines += [
        "",
        "Distinct service types per resident, heavy users (top 10 %) vs the rest (Oulu: about 4 vs 1)",
        f"  11 types as coded on ChargeItem:                  {f.heavy_types:4.2f} vs {f.other_types:4.2f}",
        f"  10 types, oral health within primary health care: {f.heavy_grouped:4.2f} vs {f.other_grouped:4.2f}",
        f"   8 broad sectors:                                 {f.heavy_sectors:4.2f} vs {f.other_sectors:4.2f}",
        "",
        "Cost by service type (12 months)",
    ]
    for service, amount in f.cost_by_service.items():
        lines.append(f"  {service:<26}{amount:>14,.0f} EUR {amount / max(1.0, f.total_cost):6.1%}")
    lines += ["", "Service coverage in the last 12 months"]
    for label, (users, people) in f.coverage.items():
        lines.append(f"  {label:<30}{users:>6} / {people:<6} {users / max(1, people):6.1%}")
    pim_users, old = f.pim_75
    early, repeats = f.hba1c_early_repeats
    lines += [
        "",
        "Medication safety patterns (people)",
        f"  potentially inappropriate medicine, 75+ (Meds75+ D): {pim_users} / {old} "
        f"({pim_users / max(1, old):.1%}; published 15-35 %)",
        f"  warfarin with an NSAID at the same time:            {f.warfarin_nsaid}",
        f"  ACE inhibitor/ARB + diuretic + NSAID at once:       {f.triple_whammy}",
        f"  HbA1c repeats within 90 days: {early} of {repeats} repeats",
        f"  minors without a guardian (RelatedPerson):          {f.minors_without_guardian}",
        "",
        "Prevalence of diagnosed conditions on the reference day, generated vs published input (%)",
        f"  {'condition':<24}{'ICD-10':<8}{'age':<8}{'sex':<8}{'people':>7}{'generated':>11}{'published':>11}"
        "  verified",
    ]
    for row in f.prevalence:
        lines.append(
            f"  {row['condition']:<24}{row['icd10']:<8}{row['band']:<8}{row['sex']:<8}{row['people']:>7}"
            f"{row['generated']:>11.1%}{row['published']:>11.1%}  {'yes' if row['verified'] else 'no'}"
        )
    lines += ["", "Sources of the published prevalences"]
    seen = set()
    for row in f.prevalence:
        if row["condition"] not in seen:
            seen.add(row["condition"])
            lines.append(f"  {row['condition']}: {row['source']}")
    return "\n".join(lines)
