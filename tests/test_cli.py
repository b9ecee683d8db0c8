"""The ``bansos`` entry point and the settings it reads, run as a user would run them."""

import os
import subprocess
import sys


def _run(args, **env):
    full_env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "SECRET_KEY", "BANSOS_ENV")}
    full_env.update(env)
    return subprocess.run([sys.executable, "-m", "bansos.cli", *args], capture_output=True, text=True,
                          env=full_env, timeout=300)


def test_it_prints_usage():
    result = _run(["--help"])
    assert result.returncode == 0
    assert "demo [--port N] [--households N]" in result.stdout


def test_it_refuses_production_without_a_secret_key(tmp_path):
    result = _run(["check"], BANSOS_ENV="production", BANSOS_DATA_DIR=str(tmp_path), ALLOWED_HOSTS="x.example")
    assert result.returncode == 2
    assert "SECRET_KEY" in result.stderr


def test_it_refuses_a_database_url_it_cannot_use(tmp_path):
    result = _run(["check"], DATABASE_URL="mysql://u@h/db", BANSOS_DATA_DIR=str(tmp_path))
    assert result.returncode == 2
    assert "DATABASE_URL" in result.stderr


def test_it_refuses_a_bad_debug_value(tmp_path):
    result = _run(["check"], DEBUG="perhaps", BANSOS_DATA_DIR=str(tmp_path))
    assert result.returncode == 2
    assert "DEBUG" in result.stderr


def test_it_keeps_a_generated_secret_key_in_the_data_dir(tmp_path):
    result = _run(["check"], BANSOS_DATA_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    key = (tmp_path / "secret_key").read_text()
    assert len(key) >= 50
    assert oct((tmp_path / "secret_key").stat().st_mode & 0o777) == "0o600"


def test_it_sets_up_a_small_demo_and_prints_one_login_per_role(tmp_path):
    result = _run(["demo", "--households", "60", "--no-serve"], BANSOS_DATA_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Data demo dibuat: 60 keluarga" in result.stdout
    for username in ("admin", "petugas.sudinsos", "rw01", "kader.rw01", "evaluator", "warga.rw01"):
        assert f"\n  {username} " in result.stdout
    again = _run(["demo", "--households", "60", "--no-serve"], BANSOS_DATA_DIR=str(tmp_path))
    assert again.returncode == 0, again.stderr[-2000:]
    assert "Registri sudah berisi data" in again.stdout
