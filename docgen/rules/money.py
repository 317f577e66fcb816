"""Reward money: coefficient × the base salary in force on a date, rounded as config says.

NĐ 91/2017 Điều 68 khoản 2 and NĐ 98/2023 say the product is "làm tròn số lên hàng chục nghìn
đồng"; some offices round to the nearest instead, so the mode is a config choice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from docgen.errors import DocgenError
from docgen.i18n import _
from docgen.workspace.config import Award, CoefficientStep, Config, SalaryStep

STEP = Decimal(10_000)


@dataclass(frozen=True)
class Amount:
    """One reward amount with how it was obtained, so documents can show the arithmetic."""

    coefficient: Decimal
    base_salary: int
    exact: Decimal
    rounded: int


def base_salary_on(config: Config, day: date) -> SalaryStep:
    """The mức lương cơ sở in force on `day` (the latest step that started on or before it)."""
    current: SalaryStep | None = None
    for step in config.base_salary:
        if step.since <= day:
            current = step
    if current is None:
        first = config.base_salary[0].since if config.base_salary else None
        raise DocgenError(
            _(
                "config.yaml: không có mức lương cơ sở cho ngày {date} "
                "(mức sớm nhất có hiệu lực từ {earliest})"
            ).format(date=f"{day:%d/%m/%Y}", earliest=f"{first:%d/%m/%Y}")
            if first
            else _("config.yaml: chưa khai báo mức lương cơ sở (base_salary)")
        )
    return current


def round_money(value: Decimal, mode: str) -> int:
    """Round to 10.000 đồng as the config's `style.rounding` says."""
    if mode == "ceil_10000":
        return int((value / STEP).to_integral_value(ROUND_CEILING) * STEP)
    if mode == "nearest_10000":
        return int((value / STEP).to_integral_value(ROUND_HALF_UP) * STEP)
    return int(value.to_integral_value(ROUND_HALF_UP))


def coefficients_on(award: Award, day: date) -> CoefficientStep:
    """The award's coefficients under the decree in force on `day` (NĐ 91, 98, 152 differ)."""
    if not award.coefficients:
        return CoefficientStep(
            date.min,
            award.coefficient_individual or Decimal(0),
            award.coefficient_collective or Decimal(0),
        )
    current: CoefficientStep | None = None
    for step in award.coefficients:
        if step.since <= day:
            current = step
    if current is None:
        raise DocgenError(
            _(
                "config.yaml: {award} chưa có hệ số tiền thưởng cho ngày {date} "
                "(mức sớm nhất có hiệu lực từ {earliest})"
            ).format(
                award=award.name,
                date=f"{day:%d/%m/%Y}",
                earliest=f"{award.coefficients[0].since:%d/%m/%Y}",
            )
        )
    return current


def reward(config: Config, award: Award, collective: bool, day: date) -> Amount:
    """The money that goes with `award` for one collective or individual, decided on `day`."""
    step = coefficients_on(award, day)
    coefficient = step.collective if collective else step.individual
    base = base_salary_on(config, day).amount
    exact = coefficient * base
    return Amount(coefficient, base, exact, round_money(exact, config.style.rounding))
