"""Which vetted answers are due for another review.

An answer is due when its latest review is more than 12 months old. `today`
is always passed in, so the rule can be checked for any date, not only the
day the check runs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from bot.content.vetted import VettedAnswer

REVIEW_INTERVAL_MONTHS = 12


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day of the month `months` earlier (clamped to the month's end).

    Args:
        day: The date to count back from.
        months: How many calendar months to go back.

    Returns:
        For example 2027-02-28 for 2028-02-29 and 12 months.

    """
    month_index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(month_index, 12)
    month += 1
    next_month = dt.date(year + (month == 12), month % 12 + 1, 1)
    last_day = (next_month - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last_day))


def due_for_review(
    answers: Iterable[VettedAnswer],
    today: dt.date,
    months: int = REVIEW_INTERVAL_MONTHS,
) -> list[VettedAnswer]:
    """The answers whose latest review is older than `months` before `today`.

    Args:
        answers: The vetted answers.
        today: The date to judge by.
        months: How old a review may be.

    Returns:
        The due answers, oldest review first.

    """
    cutoff = months_before(today, months)
    return sorted(
        (answer for answer in answers if answer.reviewed_on < cutoff),
        key=lambda answer: (answer.reviewed_on, answer.topic),
    )


def review_lines(answers: Iterable[VettedAnswer], today: dt.date) -> list[str]:
    """Lines for `make report`: the answers due for review, or that none are."""
    due = due_for_review(answers, today)
    if not due:
        return [
            f"Answers due for review: none (every review is within "
            f"{REVIEW_INTERVAL_MONTHS} months of {today.isoformat()})."
        ]
    lines = [
        f"Answers due for review (last reviewed more than "
        f"{REVIEW_INTERVAL_MONTHS} months before {today.isoformat()}): {len(due)}."
    ]
    for answer in due:
        reviewer = answer.reviews[0].reviewed_by if answer.reviews else "not recorded"
        lines.append(
            f"  {answer.topic} (version {answer.version}, reviewed "
            f"{answer.reviewed_on.isoformat()} by {reviewer})"
        )
    return lines
