"""The MedDRA dictionary on the invented releases in tests/fixtures/meddra:
opening, lookups, retrieval, normalisation with the cross-encoder, errors,
lifetimes and one dictionary shared by 8 threads."""

from __future__ import annotations

import gc
from concurrent.futures import ThreadPoolExecutor

import pytest
from support import MEDDRA, open_model

import vigil

# Codes of the English fixture (tests/fixtures/meddra/en).
HEADACHE, HEAD_PAIN, JAUNDICE = 93000001, 94000001, 93000034
NEUROLOGICAL = 90000001  # Headache's only SOC
MENTIONS = ["pain in my head", "Headache", "felt sick to my stomach"]


def test_a_missing_directory_is_io():
    with pytest.raises(vigil.IoError) as error:
        vigil.Meddra(MEDDRA / "no-such-release")
    assert error.value.code is vigil.ErrorCode.IO
    assert str(error.value).startswith("IO:") and "no-such-release" in str(error.value)


def test_counts_with_and_without_noncurrent_llts(meddra):
    assert (meddra.pt_count, meddra.llt_count, meddra.skipped_llts) == (64, 233, 0)
    assert not meddra.include_noncurrent
    with vigil.Meddra(MEDDRA / "en", include_noncurrent=True) as everything:
        assert (everything.pt_count, everything.llt_count) == (64, 242)
        assert everything.include_noncurrent
    assert "64 PTs, 233 LLTs" in repr(meddra) and "closed" in repr(everything)


def test_lookups_follow_codes_and_the_hierarchy(meddra):
    assert meddra.name(HEADACHE) == "Headache"
    assert meddra.name(HEAD_PAIN) == "Head pain"
    assert meddra.llt_pt(HEAD_PAIN) == HEADACHE
    assert meddra.llt_pt(HEADACHE) == HEADACHE  # a PT is an LLT of itself
    assert meddra.primary_soc(HEADACHE) == NEUROLOGICAL

    [path] = meddra.paths(HEADACHE)
    assert path.primary and path.soc_code == NEUROLOGICAL
    assert meddra.name(path.hlt_code) and meddra.name(path.hlgt_code)
    assert meddra.name(path.soc_code) == "Neurological and mental conditions"

    jaundice = meddra.paths(JAUNDICE)
    assert [p.primary for p in jaundice] == [True, False, False]  # the primary path first
    assert [meddra.name(p.soc_code) for p in jaundice] == [
        "Digestive tract conditions", "Skin and appendage conditions", "Laboratory findings",
    ]
    assert meddra.primary_soc(JAUNDICE) == jaundice[0].soc_code

    unknown = 12345678
    assert (meddra.name(unknown), meddra.llt_pt(unknown), meddra.primary_soc(unknown)) == (None, None, None)
    assert meddra.paths(unknown) == ()
    for bad in (-1, 1 << 32, True, "93000001"):
        with pytest.raises(vigil.InvalidArgumentError, match="code"):
            meddra.name(bad)


def test_retrieve_puts_the_exact_name_first(meddra):
    hits = meddra.retrieve("Headache", 5)
    assert len(hits) == 5
    first = hits[0]
    assert (first.pt_code, first.matched_code, first.matched_name, first.exact) == (
        HEADACHE, HEADACHE, "Headache", True)
    assert not any(h.exact for h in hits[1:])
    assert all(a.score >= b.score for a, b in zip(hits[1:], hits[2:]))
    assert all(meddra.llt_pt(h.matched_code) == h.pt_code for h in hits)
    # Case folded, and an LLT's name retrieves its PT.
    [hit] = meddra.retrieve("head PAIN", 1)
    assert (hit.pt_code, hit.matched_code, hit.matched_name, hit.exact) == (HEADACHE, HEAD_PAIN, "Head pain", True)
    assert meddra.retrieve("Headache", 0) == []
    assert meddra.retrieve("qqqq", 5) == []  # no word or character trigram in common with any name


def test_a_chinese_release_reads_utf8_names():
    with vigil.Meddra(MEDDRA / "zh") as meddra:
        [hit] = meddra.retrieve("拉肚子", 1)
        assert (hit.matched_name, hit.exact, meddra.name(hit.pt_code)) == ("拉肚子", True, "腹泻")
        assert meddra.name(meddra.primary_soc(hit.pt_code)) == "消化系统病症"


def test_normalize_keeps_top_k_best_first_with_the_primary_soc(meddra, cross_encoder):
    batch = meddra.normalize(cross_encoder, MENTIONS, candidates=20, threshold=0, top_k=4)
    assert [m.mention for m in batch] == MENTIONS
    for mention in batch:
        assert len(mention) == 4  # threshold 0 passes every candidate, top_k keeps 4
        scores = [c.score for c in mention]
        assert scores == sorted(scores, reverse=True)
        for coding in mention:
            assert coding.pt_name == meddra.name(coding.pt_code)
            assert coding.soc_code == meddra.primary_soc(coding.pt_code) is not None
        # A batch codes each mention as when it is coded alone.
        [alone] = meddra.normalize(cross_encoder, [mention.mention], candidates=20, threshold=0, top_k=4)
        assert [c.pt_code for c in alone] == [c.pt_code for c in mention]
        assert [c.score for c in alone] == pytest.approx(scores, abs=1e-6)
    # With every candidate kept, the exact name is among them and says so.
    [everything] = meddra.normalize(cross_encoder, ["Headache"], candidates=20, threshold=0)
    assert [c.pt_name for c in everything if c.exact] == ["Headache"]


def test_normalize_defaults_use_the_models_threshold(meddra, cross_encoder):
    [default] = meddra.normalize(cross_encoder, ["pain in my head"], candidates=10)
    [everything] = meddra.normalize(cross_encoder, ["pain in my head"], candidates=10, threshold=0)
    assert [c for c in everything if c.score >= 0.3] == list(default)  # vigil.json's threshold
    assert 0 < len(default) < len(everything)
    assert meddra.normalize(cross_encoder, []) == []


def test_normalize_refuses_bad_calls(meddra, classifier, cross_encoder):
    with pytest.raises(vigil.TaskMismatchError) as error:
        meddra.normalize(classifier, ["headache"])
    assert error.value.code is vigil.ErrorCode.TASK_MISMATCH
    with pytest.raises(vigil.EmptyTextError, match="mention 1"):
        meddra.normalize(cross_encoder, ["rash", " "])
    for options in ({"candidates": 0}, {"candidates": -1}, {"top_k": 0}, {"threshold": 1.5}):
        with pytest.raises(vigil.InvalidArgumentError) as error:
            meddra.normalize(cross_encoder, ["rash"], **options)
        assert error.value.code is vigil.ErrorCode.INVALID_ARGUMENT
    with pytest.raises(TypeError, match="wrap it"):
        meddra.normalize(cross_encoder, "rash")
    with pytest.raises(TypeError, match="vigil.Model"):
        meddra.normalize(str(MEDDRA), ["rash"])


def test_results_outlive_the_dictionary_and_the_model():
    meddra = vigil.Meddra(MEDDRA / "en")
    model = open_model("bert-cross-encoder")
    hits = meddra.retrieve("Headache", 3)
    codings = meddra.normalize(model, MENTIONS, threshold=0, top_k=4)
    paths = meddra.paths(JAUNDICE)
    meddra.close()
    model.close()
    meddra.close()  # idempotent
    assert hits[0].matched_name == "Headache" and len(paths) == 3
    assert [len(c) for c in codings] == [4, 4, 4]
    assert meddra.pt_count == 64  # read at open
    with pytest.raises(vigil.InvalidArgumentError, match="dictionary is closed"):
        meddra.retrieve("Headache")
    with vigil.Meddra(MEDDRA / "en") as again, pytest.raises(vigil.InvalidArgumentError, match="model is closed"):
        again.normalize(model, MENTIONS)
    with vigil.Meddra(MEDDRA / "en") as again, open_model("bert-cross-encoder") as reopened:
        assert again.normalize(reopened, MENTIONS, threshold=0, top_k=4) == codings


def test_the_garbage_collector_frees_a_dropped_dictionary():
    meddra = vigil.Meddra(MEDDRA / "en")
    finalizer = meddra._finalizer
    hits = meddra.retrieve("Headache", 1)
    del meddra
    gc.collect()
    assert not finalizer.alive  # vigil_meddra_free has run
    assert hits[0].exact


def test_eight_threads_share_one_dictionary_and_cross_encoder(meddra, cross_encoder):
    serial = meddra.normalize(cross_encoder, MENTIONS, candidates=20, threshold=0, top_k=4)
    hits = meddra.retrieve("felt sick to my stomach", 10)

    def work(_):
        return meddra.normalize(cross_encoder, MENTIONS, candidates=20, threshold=0, top_k=4), \
            meddra.retrieve("felt sick to my stomach", 10)

    with ThreadPoolExecutor(8) as pool:
        assert all(result == (serial, hits) for result in pool.map(work, range(32)))
