from __future__ import annotations

import pytest

from config import env


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("true", True),
        ("TRUE", True),
        ("1", True),
        ("Yes", True),
        ("on", True),
        (" false ", False),
        ("0", False),
        ("NO", False),
        ("off", False),
    ],
)
def test_boolean_reads_the_usual_words_in_any_case(monkeypatch, value, expected):
    monkeypatch.setenv("SOME_FLAG", value)
    assert env.boolean("SOME_FLAG", not expected) is expected


def test_boolean_falls_back_to_the_default_when_unset_or_empty(monkeypatch):
    monkeypatch.delenv("SOME_FLAG", raising=False)
    assert env.boolean("SOME_FLAG", True) is True
    monkeypatch.setenv("SOME_FLAG", "")
    assert env.boolean("SOME_FLAG", True) is True


@pytest.mark.parametrize("value", ["ture", "enabled", "2", "y"])
def test_boolean_rejects_anything_else_naming_the_variable_and_value(monkeypatch, value):
    monkeypatch.setenv("SOME_FLAG", value)
    with pytest.raises(env.InvalidVariableError) as raised:
        env.boolean("SOME_FLAG")
    assert raised.value.name == "SOME_FLAG"
    assert f"SOME_FLAG={value!r}" in str(raised.value)


def test_integer_reads_a_number_or_the_default(monkeypatch):
    monkeypatch.setenv("SOME_NUMBER", "42")
    assert env.integer("SOME_NUMBER", 7) == 42
    monkeypatch.delenv("SOME_NUMBER")
    assert env.integer("SOME_NUMBER", 7) == 7


def test_integer_rejects_a_non_number_naming_the_variable_and_value(monkeypatch):
    monkeypatch.setenv("SOME_NUMBER", "12s")
    with pytest.raises(env.InvalidVariableError) as raised:
        env.integer("SOME_NUMBER", 7)
    assert raised.value.name == "SOME_NUMBER"
    assert "SOME_NUMBER='12s'" in str(raised.value)


def test_a_boolean_can_come_from_a_file(monkeypatch, tmp_path):
    flag = tmp_path / "flag"
    flag.write_text("on\n")
    monkeypatch.delenv("SOME_FLAG", raising=False)
    monkeypatch.setenv("SOME_FLAG_FILE", str(flag))
    assert env.boolean("SOME_FLAG") is True
