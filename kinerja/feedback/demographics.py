"""Respondent demographics (PermenPANRB 14/2017's respondent questions): the answers a kiosk
offers, and the rollup columns that count them.

Each answer has two counters in every rating rollup row (daily and monthly, see
feedback.RollupSums): how many ratings gave it, and how many of those were full surveys. As
columns of the same rows, a report sums them in the query it already makes, and a rating adds
to them in the upsert it already makes: no table of their own to scan or to write.
"""

AGE_GROUPS = ("<20", "20-29", "30-39", "40-49", "50-59", "60+")
SEXES = ("L", "P")
EDUCATION = ("SD", "SMP", "SMA", "D1-D3", "D4-S1", "S2-S3")
OCCUPATIONS = ("PNS", "TNI-POLRI", "SWASTA", "WIRAUSAHA", "PELAJAR", "LAINNYA")
RESPONDENT_CHOICES = {"age_group": AGE_GROUPS, "sex": SEXES, "education": EDUCATION,
                      "occupation": OCCUPATIONS}
DIMENSIONS = tuple(RESPONDENT_CHOICES)


def demographic_column(dimension: str, value: str, part: str) -> str:
    """The rollup column counting `value` of `dimension`: part "ratings" (every rating that gave
    it) or "full" (the full surveys among them); e.g. ("age_group", "<20", "full") ->
    age_group_lt20_full."""
    slug = value.lower().replace("<", "lt").replace("+", "plus").replace("-", "_")
    return f"{dimension}_{slug}_{part}"


DEMOGRAPHIC_COLUMNS = tuple(demographic_column(dimension, value, part)
                            for dimension, values in RESPONDENT_CHOICES.items()
                            for value in values for part in ("ratings", "full"))
