"""The angka kredit of an evaluation (the rule: angka_kredit.py) with how it was worked out, for
the evaluation page, its PDF, the predikat recap and the API."""
from dataclasses import dataclass
from decimal import Decimal

from kinerja.appraisal import angka_kredit
from kinerja.appraisal.models import Evaluation
from kinerja.appraisal.predikat import Predikat
from kinerja.core.calendar import Cadence
from kinerja.core.numbers import format_amount
from kinerja.organisation.asn import Jenjang, PositionKind
from kinerja.organisation.models import Employee


def months_of(annual: bool, cadence: Cadence) -> int:
    """The months one evaluation point covers: the year, a quarter or a month."""
    if annual:
        return 12
    return 3 if cadence is Cadence.QUARTERLY else 1


@dataclass(frozen=True)
class Credit:
    value: Decimal
    jenjang: Jenjang
    predikat: Predikat
    months: int

    @property
    def percent(self) -> int:
        return angka_kredit.PERCENT[self.predikat]

    @property
    def coefficient(self) -> Decimal:
        exact = angka_kredit.YEARLY_COEFFICIENT[self.jenjang]
        return Decimal(exact.numerator) / Decimal(exact.denominator)

    @property
    def working(self) -> str:
        """"150% × 12,5 × 1/12": the percentage of the predikat, the jenjang's yearly coefficient
        (written the reader's way) and the share of the year."""
        share = "" if self.months == 12 else f" × {self.months}/12"
        return f"{self.percent}% × {format_amount(self.coefficient)}{share}"


def credit_of(kind: PositionKind | None, jenjang: Jenjang | None, predikat: Predikat | None,
              months: int) -> Credit | None:
    value = angka_kredit.credit_for(kind, jenjang, predikat, months)
    if value is None:
        return None
    return Credit(value, Jenjang(jenjang), Predikat(predikat), months)


def of_evaluation(evaluation: Evaluation, employee: Employee | None = None) -> Credit | None:
    """The credit a set evaluation earns its employee; None for a draft, or for anyone who is
    not a fungsional with a jenjang."""
    employee = employee or evaluation.employee
    if not evaluation.is_set:
        return None
    return credit_of(employee.position_kind, employee.jenjang, evaluation.predikat,
                     months_of(evaluation.is_annual, evaluation.period.cadence))
