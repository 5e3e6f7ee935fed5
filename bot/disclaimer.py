"""The clinical-setting safety disclaimer.

`build_disclaimer` is the only place that builds it; every vetted answer, on
every channel, carries its text.
"""

# Plain words (reading grade 8 or below, checked by the reading-level test),
# keeping the two phrases the clinic's wording requires: "controlled clinical
# setting" and "not medical advice".
_DISCLAIMER = (
    "This is not medical advice. MDMA-assisted therapy should only be given "
    "in a controlled clinical setting. Trained, licensed staff must watch "
    "over it."
)


def build_disclaimer() -> str:
    """Returns the disclaimer that must accompany every vetted answer."""
    return _DISCLAIMER
