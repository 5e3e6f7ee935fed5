"""What the learned safety routing costs per message: time and memory.

Run with the bot's Python (`make bench` does): loads the sentence encoder
and the trained model's risk model, embeds and scores the held-out FAQ test
phrasings one at a time (as the server does for each message), and prints
one JSON line: p50/p95 milliseconds for the encoder and for the whole risk
score, and the resident memory the encoder adds to a process that has
TensorFlow loaded already (as the Rasa server has).
"""

from __future__ import annotations

import json
import resource
import statistics
import sys
import tarfile
import tempfile
import time
from pathlib import Path

import joblib

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.server.nlu.encoder import SentenceEncoder  # noqa: E402
from tests.training_data import FAQ_TEST_FILES, read_nlu_examples  # noqa: E402


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _risk_model(model_path: Path):
    with tempfile.TemporaryDirectory() as folder, tarfile.open(model_path) as tar:
        member = next(
            m for m in tar.getmembers() if m.name.endswith("risk_model.joblib")
        )
        tar.extract(member, folder)
        return joblib.load(Path(folder) / member.name)


def _percentile(values: list[float], share: float) -> float:
    return round(sorted(values)[int(share * (len(values) - 1))], 2)


def main() -> int:
    """Prints the figures as one JSON line."""
    texts = [t for ts in read_nlu_examples(FAQ_TEST_FILES).values() for t in ts]
    # The Rasa server has TensorFlow and transformers loaded anyway: count
    # only what the encoder's weights and graph add.
    import tensorflow  # noqa: F401
    import transformers  # noqa: F401

    before = _rss_mb()
    encoder = SentenceEncoder()
    after = _rss_mb()
    model = _risk_model(ROOT / "models" / "bot.tar.gz")
    for text in texts[:20]:  # warm-up: the graph is traced on first calls
        model.probabilities([text], encoder.encode([text]))
    encode_ms, score_ms = [], []
    for text in texts:
        start = time.perf_counter()
        embedding = encoder.encode([text])
        middle = time.perf_counter()
        model.probabilities([text], embedding)
        end = time.perf_counter()
        encode_ms.append((middle - start) * 1000)
        score_ms.append((end - start) * 1000)
    print(
        json.dumps(
            {
                "messages": len(texts),
                "encoder_ms_p50": _percentile(encode_ms, 0.5),
                "encoder_ms_p95": _percentile(encode_ms, 0.95),
                "risk_score_ms_p50": _percentile(score_ms, 0.5),
                "risk_score_ms_p95": _percentile(score_ms, 0.95),
                "risk_score_ms_mean": round(statistics.fmean(score_ms), 2),
                "encoder_memory_mb": round(after - before),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
