"""The clinical-setting safety disclaimer.

`build_disclaimer` is the only place that builds it; every vetted answer, on
every channel, carries its text.
"""

_DISCLAIMER = (
    "MDMA-assisted therapy should only take place in a controlled clinical "
    "setting with trained, licensed professionals. This information is "
    "educational and is not medical advice."
)


def build_disclaimer() -> str:
    """Returns the disclaimer that must accompany every vetted answer."""
    return _DISCLAIMER
