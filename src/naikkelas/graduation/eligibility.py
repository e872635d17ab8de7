"""Where eligibility to naik kelas is decided: each readiness criterion, the score and
the ready rule.

Each criterion is one entry: its code, the SQL that decides whether a business meets it
and the sentence that explains the gap when it does not. The SQL yields 1 (met) or 0
from the facts the engine joins to each business, one row each, so that the whole
registry is judged in one statement (graduation.engine): `nib`, `kbli`, `sector`;
`permit` (PIRT or BPOM), `halal`, `sni`, `trademark` (HKI), 1 when an unexpired document
of the kind is on file; `has_channel` and `far` (any sales channel; one reaching buyers
beyond the kelurahan); `keeps_books` (an annual sales figure in the last two years); and
the latest visit's 1-5 `product_quality`, `packaging`, `branding` and `distribution`.
The score and the ready rule read what the entries decided, as `met_<code>`.

Which criteria count, their weights and which are required are the readiness policy's
(ReadinessCriterion rows, edited by administrators), never this module's.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from naikkelas.graduation.models import Criterion, ReadinessCriterion, ReadinessPolicy
from naikkelas.registry.models import SizeClass


@dataclass(frozen=True)
class CriterionRule:
    code: str
    met_sql: str
    gap: Promise


# Food (KBLI 10, 56) needs a PIRT or BPOM permit and halal certification; beverages (11) a
# permit; other manufacturing any product certificate; outside manufacturing no product
# permit applies.
CRITERIA: dict[str, CriterionRule] = {
    rule.code: rule
    for rule in (
        CriterionRule(Criterion.NIB, "CASE WHEN nib <> '' THEN 1 ELSE 0 END", _("No NIB yet.")),
        CriterionRule(
            Criterion.PRODUCT_LEGALITY,
            """CASE
        WHEN kbli LIKE %(food)s OR kbli LIKE %(eatery)s THEN permit * halal
        WHEN kbli LIKE %(beverage)s THEN permit
        WHEN sector = 'C' THEN CASE WHEN sni + permit + halal > 0 THEN 1 ELSE 0 END
        ELSE 1 END""",
            _(
                "No valid product permit for this sector (food: PIRT or BPOM and halal; "
                "beverages: PIRT or BPOM; other manufacturing: SNI, PIRT, BPOM or halal)."
            ),
        ),
        CriterionRule(
            Criterion.PRODUCT_QUALITY,
            "CASE WHEN product_quality >= %(pass)s THEN 1 ELSE 0 END",
            _("Product quality not yet assessed as good enough."),
        ),
        CriterionRule(
            Criterion.PACKAGING,
            "CASE WHEN packaging >= %(pass)s THEN 1 ELSE 0 END",
            _("Packaging not yet assessed as good enough."),
        ),
        CriterionRule(
            Criterion.BRANDING,
            "CASE WHEN branding >= %(pass)s OR trademark = 1 THEN 1 ELSE 0 END",
            _("No trademark filed and branding not yet assessed as good enough."),
        ),
        CriterionRule(Criterion.DIGITAL_MARKETING, "has_channel", _("No online sales channel.")),
        CriterionRule(
            Criterion.DISTRIBUTION,
            "CASE WHEN distribution >= %(pass)s OR far = 1 THEN 1 ELSE 0 END",
            _(
                "Sells only nearby: no marketplace, website, delivery or catalogue channel, "
                "and distribution not yet assessed as good enough."
            ),
        ),
        CriterionRule(
            Criterion.BOOKKEEPING,
            "keeps_books",
            _("No annual sales figure for the last two years."),
        ),
    )
}


def params(policy: ReadinessPolicy) -> dict[str, Any]:
    """The parameters the entries' SQL names."""
    return {"food": "10%", "eatery": "56%", "beverage": "11%", "pass": policy.pass_score}


def score_sql(criteria: Sequence[ReadinessCriterion]) -> str:
    """The readiness score, 0-100: the weighted share of the policy's criteria met."""
    total = int(sum(c.weight for c in criteria)) or 1
    earned = " + ".join(f"met_{c.code} * {int(c.weight)}" for c in criteria) or "0"
    # Rounded half up in integer arithmetic, the same on every database.
    return f"(({earned}) * 100 + {total // 2}) / {total}"


def ready_sql(criteria: Sequence[ReadinessCriterion]) -> str:
    """Ready to naik kelas: micro by size, and every criterion the policy requires met."""
    required = [f"met_{c.code} = 1" for c in criteria if c.required]
    return " AND ".join([f"size_class = '{SizeClass.MICRO}'", *required])
