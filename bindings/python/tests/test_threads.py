"""One Model shared by 8 threads gives exactly the serial answers."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from support import open_model, reference, scorable

THREADS = 8
ROUNDS = 4


@pytest.mark.parametrize("sessions", [1, 3])
def test_threads_sharing_a_classifier_get_the_serial_answers(sessions):
    case = next(c for c in reference("classify")["cases"] if c["policy"] == "window_mean")
    texts, _ = scorable(case)
    with open_model("bert-cls3", long_text="window_mean", stride=16, sessions=sessions) as model:
        serial = model.classify(texts)

        def work(_):
            return [model.classify(texts) for _ in range(ROUNDS)]

        with ThreadPoolExecutor(THREADS) as pool:
            results = [answer for rounds in pool.map(work, range(THREADS)) for answer in rounds]
    assert len(results) == THREADS * ROUNDS
    assert all(answers == serial for answers in results)


def test_threads_sharing_a_tagger_and_a_cross_encoder(tagger, cross_encoder):
    case = next(c for c in reference("spans")["cases"] if c["model"] == "bert-ner-bio")
    texts, _ = scorable(case)
    candidates = ["Rash", "Nausea", "Headache", "Tachycardia", "Fatigue"]
    serial = (tagger.extract_spans(texts), cross_encoder.rerank("itchy rash", candidates))

    def work(_):
        return tagger.extract_spans(texts), cross_encoder.rerank("itchy rash", candidates)

    with ThreadPoolExecutor(THREADS) as pool:
        assert all(result == serial for result in pool.map(work, range(THREADS * ROUNDS)))
