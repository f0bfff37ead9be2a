"""Settings come from the environment; production settings pass Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

PRODUCTION_ENV = {
    "DISRUPT_DEPLOYMENT": "production",
    "SECRET_KEY": "k" * 20 + "a-long-random-looking-secret-for-the-check-9f8e7d6c5b4a",
    "DATABASE_URL": "postgres://disrupt@db.internal:5432/disrupt",
    "ALLOWED_HOSTS": "disrupt.example.org",
}


def run_disrupt(*args: str, env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    # Nothing of the test run may leak in: not our settings, nor the browser tests' async switch.
    leaks = {"DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL"}
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in PRODUCTION_ENV and k not in leaks and not k.startswith("DISRUPT_")
    }
    clean["DISRUPT_DATA_DIR"] = str(tmp_path)
    return subprocess.run(
        [sys.executable, "-m", "disrupt", *args],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deployment_checks_without_warnings(tmp_path: Path) -> None:
    result = run_disrupt(
        "check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV, tmp_path=tmp_path
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS"])
def test_it_refuses_to_start_production_without(missing: str, tmp_path: Path) -> None:
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = run_disrupt("check", env=env, tmp_path=tmp_path)
    assert result.returncode != 0
    assert missing in result.stderr


def test_a_secret_can_come_from_a_file(tmp_path: Path) -> None:
    secret_file = tmp_path / "secret"
    secret_file.write_text(PRODUCTION_ENV["SECRET_KEY"] + "\n")
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    env["SECRET_KEY_FILE"] = str(secret_file)
    result = run_disrupt("check", "--deploy", "--fail-level", "WARNING", env=env, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr


def test_the_embedded_default_needs_no_environment_and_keeps_its_key(tmp_path: Path) -> None:
    first = run_disrupt(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.SECRET_KEY)",
        env={},
        tmp_path=tmp_path,
    )
    second = run_disrupt(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.SECRET_KEY)",
        env={},
        tmp_path=tmp_path,
    )
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == second.stdout.strip() != ""
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_a_malformed_boolean_is_named(tmp_path: Path) -> None:
    result = run_disrupt("check", env={"DEBUG": "perhaps"}, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr
