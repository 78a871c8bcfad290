"""tools/venv_install.py: uv gets pip's settings, or pip installs."""

from __future__ import annotations

import importlib.util
import subprocess

import pytest

from tests.conftest import REPO

spec = importlib.util.spec_from_file_location(
    "venv_install", REPO / "tools" / "venv_install.py"
)
venv_install = importlib.util.module_from_spec(spec)
spec.loader.exec_module(venv_install)

# `pip config list` on the course's machine: its files, then PIP_* variables.
LISTING = """\
:env:.cert='/etc/ssl/certs/ca-certificates.crt'
:env:.default-timeout='180'
:env:.disable-pip-version-check='1'
:env:.find-links='/opt/wheels'
global.cert='/etc/ssl/certs/other.crt'
global.constraint='/etc/xdg/pip/constraints.txt'
global.extra-index-url='file:///opt/pypi/simple file:///opt/pypi-more/simple'
global.find-links='/opt/elsewhere'
freeze.exclude='pip'
"""


def test_each_setting_comes_from_its_strongest_place():
    settings = venv_install.pip_settings(LISTING)
    assert settings["find-links"] == "/opt/wheels"  # the variable wins
    assert settings["cert"] == "/etc/ssl/certs/ca-certificates.crt"
    assert settings["constraint"] == "/etc/xdg/pip/constraints.txt"
    assert "exclude" not in settings  # pip freeze's, not pip install's
    install = venv_install.pip_settings("global.index-url='a'\ninstall.index-url='b'")
    assert install == {"index-url": "b"}


def test_uv_gets_the_same_places_constraint_and_certificate():
    options, variables = venv_install.uv_arguments(venv_install.pip_settings(LISTING))
    pairs = list(zip(options[::2], options[1::2], strict=True))
    assert ("--index-strategy", "unsafe-best-match") in pairs
    assert ("--find-links", "/opt/wheels") in pairs
    assert ("--find-links", "/opt/elsewhere") not in pairs
    assert ("--constraint", "/etc/xdg/pip/constraints.txt") in pairs
    assert ("--extra-index-url", "file:///opt/pypi/simple") in pairs
    assert ("--extra-index-url", "file:///opt/pypi-more/simple") in pairs
    assert variables == {
        "SSL_CERT_FILE": "/etc/ssl/certs/ca-certificates.crt",
        "UV_HTTP_TIMEOUT": "180",
    }


@pytest.mark.parametrize(
    "setting", ["no-binary=':all:'", "pre='1'", "proxy='http://p'"]
)
def test_a_setting_uv_cannot_honour_leaves_the_install_to_pip(setting):
    key, value = setting.split("=", 1)
    listing = LISTING + f"install.{key}={value}\n"
    assert venv_install.uv_arguments(venv_install.pip_settings(listing)) is None


def test_pip_installs_when_uv_cannot(tmp_path, monkeypatch):
    commands = []

    def fake_run(command, **kwargs):
        commands.append(command)
        if command[-2:] == ["config", "list"]:
            return subprocess.CompletedProcess(command, 0, "install.pre='1'\n", "")
        return subprocess.CompletedProcess(command, 0)

    monkeypatch.setattr(venv_install.subprocess, "run", fake_run)
    assert venv_install.main(["/venv/bin/python", "-r", "requirements.txt"]) == 0
    assert commands[-1][:4] == ["/venv/bin/python", "-m", "pip", "install"]
    assert commands[-1][-2:] == ["-r", "requirements.txt"]
    assert not any("uv" in part for command in commands for part in command)
