import pytest

from bansos.core.env import ConfigError, envbool, envint, envlist, envstr


def test_it_refuses_a_bool_it_does_not_understand(monkeypatch):
    monkeypatch.setenv("X_FLAG", "maybe")
    with pytest.raises(ConfigError, match="X_FLAG"):
        envbool("X_FLAG")


@pytest.mark.parametrize("raw, value", [("1", True), ("yes", True), ("ya", True), ("0", False), ("off", False)])
def test_it_reads_bools(monkeypatch, raw, value):
    monkeypatch.setenv("X_FLAG", raw)
    assert envbool("X_FLAG") is value


def test_it_refuses_an_int_below_the_minimum(monkeypatch):
    monkeypatch.setenv("X_NUM", "0")
    with pytest.raises(ConfigError, match="minimum"):
        envint("X_NUM", 5, minimum=1)


def test_it_refuses_text_for_an_int(monkeypatch):
    monkeypatch.setenv("X_NUM", "lima")
    with pytest.raises(ConfigError, match="whole number"):
        envint("X_NUM", 5)


def test_it_reads_a_secret_from_a_file(monkeypatch, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("s3cret\n")
    monkeypatch.setenv("X_SECRET_FILE", str(secret))
    assert envstr("X_SECRET") == "s3cret"


def test_it_splits_lists(monkeypatch):
    monkeypatch.setenv("X_HOSTS", "a.example, b.example,,")
    assert envlist("X_HOSTS") == ["a.example", "b.example"]
