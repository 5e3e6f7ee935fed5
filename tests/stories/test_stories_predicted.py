"""Every test story's actions are predicted: what `rasa test core` checks.

The same evaluation as `rasa test core --stories tests/stories
--fail-on-prediction-errors --out results/stories`, run on the model the NLU
tests load too (tests/conftest.py), instead of loading it again in a
process of its own. It writes the same reports to results/stories.
"""

from __future__ import annotations

import asyncio

import yaml

from tests.measurements import record
from tests.training_data import ROOT

STORIES = ROOT / "tests" / "stories"
RESULTS = ROOT / "results" / "stories"


def test_every_story_is_predicted_without_an_error(agent):
    from rasa.core.test import test as evaluate_stories

    stories = [
        story
        for path in sorted(STORIES.glob("*.yml"))
        for story in yaml.safe_load(path.read_text(encoding="utf-8"))["stories"]
    ]
    assert stories
    RESULTS.mkdir(parents=True, exist_ok=True)
    loop = asyncio.new_event_loop()
    try:
        # Raises WrongPredictionException, naming the story, on the first
        # action predicted differently from the story.
        evaluation = loop.run_until_complete(
            evaluate_stories(
                str(STORIES),
                agent,
                out_directory=str(RESULTS),
                fail_on_prediction_errors=True,
            )
        )
    finally:
        loop.close()
    record("story_tests", len(stories))
    assert evaluation["accuracy"] == 1.0, evaluation["report"]
