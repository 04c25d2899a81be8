"""Fixtures of the citizen-feedback tests."""
import pytest

from tests.builders import make_counter


@pytest.fixture
def counter(org):
    """A counter in Bidang Pelayanan: its head is Budi (the supervisor), under the dinas head."""
    return make_counter(org.section, code="DUK-01", name="Loket 1 KTP-el")
