"""Respondent demographics of ratings, rolled up per counter per local day, so IKM reports
break respondents down by age group, sex, education and occupation without reading ratings."""
from datetime import date

from sqlalchemy import Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from kinerja.extensions import db

DIMENSIONS = ("age_group", "sex", "education", "occupation")


class DemographicRollup(db.Model):
    """How many of the day's ratings at a counter gave `value` for `dimension`, and how many of
    those were full surveys (all nine elements). Kept current in the same statement batch as
    DailyRollup (ratings._bump_rollup); unanswered questions are ratings minus the answers."""
    __tablename__ = "rating_demographic_rollups"

    counter_id: Mapped[int] = mapped_column(ForeignKey("service_counters.id"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    dimension: Mapped[str] = mapped_column(String(12), primary_key=True)
    value: Mapped[str] = mapped_column(String(20), primary_key=True)
    ratings: Mapped[int] = mapped_column(default=0)
    full_surveys: Mapped[int] = mapped_column(default=0)


class MonthlyDemographicRollup(db.Model):
    """DemographicRollup per counter per calendar month (`month` = its first day), kept with
    it: reports read these for whole months and the daily rows for the partial ends."""
    __tablename__ = "rating_monthly_demographic_rollups"

    counter_id: Mapped[int] = mapped_column(ForeignKey("service_counters.id"), primary_key=True)
    month: Mapped[date] = mapped_column(Date, primary_key=True)
    dimension: Mapped[str] = mapped_column(String(12), primary_key=True)
    value: Mapped[str] = mapped_column(String(20), primary_key=True)
    ratings: Mapped[int] = mapped_column(default=0)
    full_surveys: Mapped[int] = mapped_column(default=0)
