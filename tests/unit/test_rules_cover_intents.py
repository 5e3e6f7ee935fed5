"""Every intent has a rule, so the dialogue needs no learned policy.

config.yml runs rules and memoization only (TED was dropped for its cost):
an intent without a rule would fall to action_clarify_topic in any state the
stories do not cover. These tests keep that from happening unnoticed.
"""

from __future__ import annotations

import yaml

from tests.training_data import ROOT

DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
RULES = yaml.safe_load((ROOT / "data" / "rules.yml").read_text(encoding="utf-8"))
CONFIG = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))


def _unconditional_rule_intents() -> set[str]:
    """Intents that open a rule with no condition (it applies in any state)."""
    intents = set()
    for rule in RULES["rules"]:
        first = rule["steps"][0]
        if "intent" in first and not rule.get("condition"):
            intents.add(first["intent"])
    return intents


def test_every_intent_and_the_nlu_fallback_have_a_rule():
    intents = set(DOMAIN["intents"]) | {"nlu_fallback"}
    missing = intents - _unconditional_rule_intents()
    assert not missing, f"intents without a rule: {sorted(missing)}"


def test_the_dialogue_runs_on_rules_and_memoization_with_a_fallback():
    policies = {policy["name"]: policy for policy in CONFIG["policies"]}
    assert set(policies) == {"RulePolicy", "MemoizationPolicy"}
    assert policies["RulePolicy"]["core_fallback_action_name"] == "action_clarify_topic"
