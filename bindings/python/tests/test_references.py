"""Vigil through Python against the committed transformers references
(tests/fixtures/reference): every classify, spans and rerank case."""

from __future__ import annotations

import pytest
from support import case_id, reference, scorable, shared_model, span_model

import vigil

CLASSIFY = reference("classify")["cases"]
SPANS = reference("spans")["cases"]
RERANK = reference("rerank")["cases"]
TOLERANCE = 1e-5


def test_the_references_cover_every_policy_strategy_and_a_stride():
    assert {c["policy"] for c in CLASSIFY} == {"truncate", "window_mean", "window_max"}
    bio = [c for c in SPANS if c["model"] == "bert-ner-bio"]
    assert {c["aggregation"] for c in bio} == {"none", "simple", "first", "average", "max"}
    assert any(c["stride"] is not None for c in bio)
    assert any("records" in c for c in RERANK) and any("plain" in c for c in RERANK)


@pytest.mark.parametrize("case", CLASSIFY, ids=case_id)
def test_classify_matches_transformers(case):
    options = {"long_text": case["policy"]}
    if case["stride"] is not None:
        options["stride"] = case["stride"]
    texts, expected = scorable(case)
    got = shared_model(case["model"], **options).classify(texts)
    assert len(got) == len(texts)
    for text, want, answer in zip(texts, expected, got):
        assert answer.scores == pytest.approx(want["scores"], abs=TOLERANCE, rel=0), text
        assert answer.top_label == want["top_label"], text
        assert (answer.truncated, answer.windows) == (want["truncated"], want["windows"]), text


@pytest.mark.parametrize("case", SPANS, ids=case_id)
def test_spans_match_the_pipeline_with_str_utf8_and_utf16_offsets(case):
    texts, expected = scorable(case)
    got = span_model(case).extract_spans(texts, aggregation=case["aggregation"], ignore_labels=case["ignore_labels"])
    for text, want, spans in zip(texts, expected, got):
        assert spans.text == text
        key = ("label", "start", "end", "start_utf8", "end_utf8", "start_utf16", "end_utf16")
        assert [tuple(getattr(s, k) for k in key) for s in spans] == [tuple(e[k] for k in key) for e in want], text
        utf8, utf16 = text.encode("utf-8"), text.encode("utf-16-le")
        for span, entity in zip(spans, want):
            assert span.score == pytest.approx(entity["score"], abs=TOLERANCE, rel=0), text
            assert span.token == entity.get("index")
            # Each offset kind slices the same characters out of its encoding.
            assert span.text == text[span.start:span.end]
            assert utf8[span.start_utf8:span.end_utf8].decode("utf-8") == span.text
            assert utf16[2 * span.start_utf16:2 * span.end_utf16].decode("utf-16-le") == span.text


@pytest.mark.parametrize("case", RERANK, ids=case_id)
def test_rerank_matches_transformers(case):
    if "records" in case:
        candidates = [vigil.MeddraRecord(**record) for record in case["records"]]
    else:
        candidates = case["plain"]
    want = case["scores"]
    ranked = shared_model(case["model"]).rerank(case["mention"], candidates)
    assert sorted(r.index for r in ranked) == list(range(len(want)))
    for r in ranked:
        assert r.score == pytest.approx(want[r.index], abs=TOLERANCE, rel=0)
        assert r.candidate is candidates[r.index]
    # Best first; equal scores keep the input order.
    assert [r.index for r in ranked] == sorted(range(len(want)), key=lambda i: (-want[i], i))
