"""Models and the MedDRA dictionary shared by the tests that only read from them."""

import pytest
from support import shared_meddra, shared_model


@pytest.fixture
def classifier():
    return shared_model("bert-cls3")


@pytest.fixture
def tagger():
    return shared_model("bert-ner-bio")


@pytest.fixture
def cross_encoder():
    return shared_model("bert-cross-encoder")


@pytest.fixture
def meddra():
    return shared_meddra("en")
