"""Path parameters and the not-found answer, as every handler reads and gives them."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from xmock.simulator import Simulator, errors
from xmock.simulator.resources.params import missing, path_id, path_param


def _call(sim: Simulator, **params: str) -> SimpleNamespace:
    return SimpleNamespace(params=params, sim=sim)


def test_a_numeric_id_passes_and_anything_else_gets_xs_pattern_message():
    sim = Simulator()
    assert path_id(_call(sim, id="1234567890123456789")) == "1234567890123456789"
    for bad in ("12345678901234567890", "12a", "", "١٢٣"):  # too long, a letter, empty, Arabic-Indic digits
        with pytest.raises(errors.XError) as refused:
            path_id(_call(sim, list_id=bad), "list_id")
        assert refused.value.status == 400
        assert refused.value.body["errors"][0]["message"] == (
            f"The `list_id` query parameter value [{bad}] does not match ^[0-9]{{1,19}}$"
        )
        assert refused.value.body["errors"][0]["parameters"] == {"list_id": [bad]}


def test_a_parameter_of_its_own_pattern():
    sim = Simulator()
    space = re.compile(r"[a-zA-Z0-9]{1,13}\Z")
    assert path_param(_call(sim, id="1DXxyRYNejbKM"), "id", space, "^[a-zA-Z0-9]{1,13}$") == "1DXxyRYNejbKM"
    with pytest.raises(errors.XError, match="does not match"):
        path_param(_call(sim, id="1DXxyRYNejbKM0"), "id", space, "^[a-zA-Z0-9]{1,13}$")


@pytest.mark.parametrize("status", [200, 404])
def test_missing_follows_the_missing_resource_setting(status: int):
    sim = Simulator()
    sim.configure(missing_resource_status=status)
    answer = missing(_call(sim), "tweet", "id", "42")
    assert answer.status == status
    assert answer.body["errors"][0]["resource_type"] == "tweet" and answer.body["errors"][0]["value"] == "42"


def test_missing_names_what_was_looked_for_when_told():
    answer = missing(_call(Simulator()), "trend", "woeid", "2", "trends")
    assert answer.body["errors"][0]["resource_type"] == "trend"
    assert "trends" in answer.body["errors"][0]["detail"]
