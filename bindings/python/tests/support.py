"""Helpers shared by the tests: fixture paths, references, model opening."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import vigil

ROOT = Path(__file__).resolve().parents[3]
MODELS = ROOT / "tests" / "fixtures" / "models"
REFERENCE = ROOT / "tests" / "fixtures" / "reference"
MEDDRA = ROOT / "tests" / "fixtures" / "meddra"


def reference(name: str) -> dict:
    return json.loads((REFERENCE / f"{name}.json").read_text(encoding="utf-8"))


def scorable(case: dict) -> tuple[list[str], list]:
    """The case's texts and expected outputs without the blank ones, which
    transformers scores but Vigil refuses (EMPTY_TEXT)."""
    pairs = [(t, o) for t, o in zip(case["texts"], case["outputs"]) if t.strip()]
    return [t for t, _ in pairs], [o for _, o in pairs]


def open_model(name: str, **options) -> vigil.Model:
    return vigil.Model(MODELS / name, **options)


@functools.lru_cache(maxsize=None)
def shared_model(name: str, **options) -> vigil.Model:
    """One open model per (name, options) for the whole run, for tests that
    only read from it (opening takes about 0.1 s)."""
    return open_model(name, **options)


@functools.lru_cache(maxsize=None)
def shared_meddra(language: str = "en") -> vigil.Meddra:
    """One open dictionary per language for the whole run, for tests that only read from it."""
    return vigil.Meddra(MEDDRA / language)


def span_model(case: dict) -> vigil.Model:
    """A spans.json case without stride is the pipeline truncating; with one, windows."""
    if case["stride"] is None:
        return shared_model(case["model"], long_text="truncate")
    return shared_model(case["model"], long_text="window_max", stride=case["stride"])


def case_id(case: dict) -> str:
    parts = [case["model"], case.get("policy") or case.get("aggregation") or case.get("mention")]
    if case.get("stride") is not None:
        parts.append(f"stride{case['stride']}")
    if case.get("ignore_labels") == []:
        parts.append("keepO")
    if "records" in case:
        parts.append("records")
    return "-".join(str(p) for p in parts)
