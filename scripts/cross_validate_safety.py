"""Leave-one-writer-out cross-validation of the safety router's bands.

Each fold refits the risk model without one writer of data/safety, inside
the trained pipeline (topic classifier, matcher and router as they run),
parses that writer's messages and records what the router saw. The
records are then replayed with the bands of config.yml and with any bands
given on the command line (bot/ops/safety_cross_validation.py), so
comparing bands costs seconds, not a refit. Nothing in tests/safety is
read: those writers stay unseen.

The writers in --always (a, b, d and e by default, as when the bands in
config.yml were chosen) are in every fold's training data and are not
held out.

Run from the project root after `make train` (about 40 s per fold):
    .venv/bin/python scripts/cross_validate_safety.py \
        --try crisis=0.9,pattern_crisis=0.5
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import bot.server.nlu.safety_router as safety_router  # noqa: E402
from bot.ops.safety_cross_validation import (  # noqa: E402
    OTHER_ROUTES,
    RouterInput,
    score,
    summary,
)
from bot.server.nlu.encoder import shared_encoder  # noqa: E402
from bot.server.nlu.text_classifier import ClassifierSettings, TextClassifier  # noqa: E402
from bot.server.safety.risk_model import label_for_intent, read_corpus  # noqa: E402
from tests.support.model import load_agent, parse_many  # noqa: E402

CORPUS = ROOT / "data" / "safety"


class _Recorder:
    """Stands in for `choose_route` and keeps each call's inputs."""

    def __init__(self, choose_route):
        self._choose_route = choose_route
        self.calls: list[tuple] = []

    def __call__(self, predicted, scores, matched, thresholds, **flags):
        self.calls.append((predicted, dict(scores), matched, flags))
        return self._choose_route(predicted, scores, matched, thresholds, **flags)


def _router(agent):
    # Rasa keeps the graph's components private; the fold models replace the
    # trained router's risk model in place, so everything else stays as run.
    for node in agent.processor.graph_runner._instantiated_nodes.values():
        component = getattr(node, "_component", None)
        if isinstance(component, safety_router.SafetyRouter):
            return component
    raise SystemExit("The model has no SafetyRouter.")


def _nlu_examples() -> list[tuple[str, str]]:
    from rasa.shared.nlu.training_data.loading import load_data
    from rasa.shared.nlu.training_data.training_data import TrainingData

    files = sorted((ROOT / "data").glob("nlu*.yml"))
    data = TrainingData().merge(*[load_data(str(path)) for path in files])
    return [
        (m.get("text"), label_for_intent(m.get("intent"))) for m in data.intent_examples
    ]


def _bands(text: str, base):
    changes = dict(item.split("=") for item in text.split(","))
    return dataclasses.replace(base, **{k: float(v) for k, v in changes.items()})


def main() -> None:
    """Records the folds, then prints the figures for each set of bands."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--always", default="a,b,d,e")
    parser.add_argument("--try", dest="tries", action="append", default=[])
    args = parser.parse_args()
    always = {f"writer_{w}.tsv" for w in args.always.split(",") if w}
    files = sorted(CORPUS.glob("*.tsv"))
    held_out = [
        p for p in files if p.name.startswith("writer_") and p.name not in always
    ]
    agent = load_agent()
    router = _router(agent)
    recorder = _Recorder(safety_router.choose_route)
    safety_router.choose_route = recorder
    encoder, cache = shared_encoder(), {}

    def embed(texts):
        new = [t for t in dict.fromkeys(texts) if t not in cache]
        for start in range(0, len(new), 512):
            batch = new[start : start + 512]
            cache.update(zip(batch, encoder.encode(batch), strict=True))
        return np.stack([cache[t] for t in texts])

    nlu = _nlu_examples()
    settings = ClassifierSettings(
        c=router._config["c"], embedding_weight=router._config["embedding_weight"]
    )
    records = {}
    for path in held_out:
        train = read_corpus([p for p in files if p != path])
        texts = [e.text for e in train] + [t for t, _ in nlu]
        labels = [e.label for e in train] + [label for _, label in nlu]
        router._model = TextClassifier.fit(texts, labels, embed(texts), settings)
        examples = read_corpus([path])
        recorder.calls.clear()
        parse_many(agent, [e.text for e in examples])
        records[path.stem] = [
            RouterInput(
                e.label,
                e.written_as,
                predicted,
                scores,
                matched,
                flags["understood_question"],
                flags["has_vetted_answer"],
            )
            for e, (predicted, scores, matched, flags) in zip(
                examples, recorder.calls, strict=True
            )
        ]
        print(f"{path.stem}: recorded {len(examples)} messages", flush=True)
    for name, bands in [("config.yml", router._thresholds)] + [
        (text, _bands(text, router._thresholds)) for text in args.tries
    ]:
        folds = {writer: score(rs, bands) for writer, rs in records.items()}
        print(f"\nbands: {name}")
        for writer, f in folds.items():
            routes = " / ".join(f"{100 * f.routed_right[r]:.1f}" for r in OTHER_ROUTES)
            print(
                f"  {writer}: crisis caught {f.caught}/{f.crisis} (asked {f.asked}), "
                f"routes {routes}, crisis replies to hard negatives "
                f"{f.false_crisis}/{f.hard_negatives}, check-ins {f.check_ins}"
            )
        for key, value in summary(folds).items():
            print(f"  {key}: {value:.4g}")


if __name__ == "__main__":
    main()
