"""What Vigil returns, as plain immutable Python values. They hold no native
memory: every result is copied out of the library and freed at once."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Iterator, Sequence


class Task(str, enum.Enum):
    """What a model directory does (VIGIL_TASK_*), which decides the calls it answers."""

    SEQUENCE_CLASSIFICATION = "sequence_classification"
    TOKEN_CLASSIFICATION = "token_classification"
    CROSS_ENCODER = "cross_encoder"


class LongText(str, enum.Enum):
    """What happens to a text longer than max_length (VIGIL_LONG_TEXT_*)."""

    TRUNCATE = "truncate"
    WINDOW_MEAN = "window_mean"
    WINDOW_MAX = "window_max"


class Aggregation(str, enum.Enum):
    """How tokens become entities, as in transformers' token-classification pipeline."""

    NONE = "none"
    SIMPLE = "simple"
    FIRST = "first"
    AVERAGE = "average"
    MAX = "max"


@dataclass(frozen=True, slots=True)
class Classification:
    """One text's answer. `scores` follow `labels` (the model's label-id order)."""

    labels: tuple[str, ...]
    scores: tuple[float, ...]
    top_label: str
    truncated: bool  # tokens were cut (truncate policy only)
    windows: int  # windows run for this text (1 unless it was long and windowed)

    def as_dict(self) -> dict[str, float]:
        return dict(zip(self.labels, self.scores))


@dataclass(frozen=True, slots=True)
class Span:
    """An entity. `start`/`end` index the Python str (code points), so
    `text[span.start:span.end] == span.text`; the UTF-8 byte and UTF-16 unit
    offsets are there for data shared with other languages."""

    label: str  # the entity group, or the full tag under aggregation "none"
    score: float
    start: int
    end: int
    text: str
    start_utf8: int
    end_utf8: int
    start_utf16: int
    end_utf16: int
    token: int | None  # the token's index in its window under "none", else None


@dataclass(frozen=True, slots=True)
class TextSpans:
    """The entities of one text, ordered by start; iterating gives the spans."""

    text: str
    spans: tuple[Span, ...]
    truncated: bool
    windows: int

    def __iter__(self) -> Iterator[Span]:
        return iter(self.spans)

    def __len__(self) -> int:
        return len(self.spans)


@dataclass(frozen=True, slots=True)
class MeddraRecord:
    """A MedDRA term to rerank, rendered into text by the model's template.
    `pt_code` is carried for the host (it is not shown to the model)."""

    pt_name: str
    llt_names: Sequence[str] = ()
    hlt_name: str | None = None
    hlgt_name: str | None = None
    soc_name: str | None = None
    pt_code: str | None = None


@dataclass(frozen=True, slots=True)
class RankedCandidate:
    """One reranked candidate; `index` is its position in the input list."""

    index: int
    candidate: str | MeddraRecord
    score: float  # the positive label's probability
    passes: bool  # score >= the threshold in force
    truncated: bool  # the candidate text was cut to fit max_length


@dataclass(frozen=True, slots=True)
class SocPath:
    """One HLT -> HLGT -> SOC path of a PT: one per SOC the PT sits in."""

    hlt_code: int
    hlgt_code: int
    soc_code: int
    primary: bool  # the PT's primary SOC (listed first)


@dataclass(frozen=True, slots=True)
class Hit:
    """A PT retrieved by BM25 over the dictionary's PT and LLT names."""

    pt_code: int
    score: float  # BM25 score of matched_name
    matched_code: int  # the LLT (or the PT itself) whose name matched best
    matched_name: str
    exact: bool  # matched_name equals the mention (case and accents folded)


@dataclass(frozen=True, slots=True)
class Coding:
    """A PT a mention was coded to, with the PT's primary SOC."""

    pt_code: int
    pt_name: str
    soc_code: int | None  # None when the release gives the PT no hierarchy
    score: float  # the cross-encoder's probability for (mention, PT record)
    exact: bool  # the mention equals one of the PT's names (case and accents folded)


@dataclass(frozen=True, slots=True)
class MentionCodings:
    """The PTs one mention was coded to, best first; iterating gives the codings."""

    mention: str
    codings: tuple[Coding, ...]

    def __iter__(self) -> Iterator[Coding]:
        return iter(self.codings)

    def __len__(self) -> int:
        return len(self.codings)
