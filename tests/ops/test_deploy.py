"""Cheap sanity of deploy/: the systemd units run existing `giamngheo` commands with arguments those commands
accept, are hardened and write only to the data folder named in the example environment file; the nginx example
forwards the proxy headers, redirects HTTP to HTTPS and accepts the largest upload."""

from __future__ import annotations

import configparser
import re
import shlex
from pathlib import Path

import pytest
from django.core.management import get_commands, load_command_class
from django.core.management.base import CommandError

from giamngheo.cli import COMMANDS
from giamngheo.jobs.services import MAX_UPLOAD_BYTES

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
SERVICES = ["giamngheo-web.service", "giamngheo-worker.service", "giamngheo-backup.service"]


def environment() -> dict[str, str]:
    pairs = {}
    for line in (DEPLOY / "giamngheo.env.example").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, sep, value = line.partition("=")
            assert sep and key == key.strip() and re.fullmatch(r"[A-Z_][A-Z0-9_]*", key), line
            pairs[key] = value
    return pairs


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(
        strict=False, interpolation=None, delimiters=("=",), comment_prefixes=("#",)
    )
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # systemd keys are case-sensitive
    parser.read_string((DEPLOY / "systemd" / name).read_text())
    return parser


def test_the_environment_example_names_what_production_needs() -> None:
    env = environment()
    for key in (
        "SECRET_KEY",
        "DATABASE_URL",
        "REDIS_URL",
        "ALLOWED_HOSTS",
        "GIAMNGHEO_DATA_DIR",
        "LOG_FORMAT",
    ):
        assert env[key], key
    assert env["HTTPS"] == "1" and env["DEBUG"] == "0" and env["LOG_FORMAT"] == "json"
    assert "CHANGE-ME" in env["SECRET_KEY"]  # a placeholder, never a usable key
    assert env["DATABASE_URL"].startswith("postgres://")


@pytest.mark.parametrize("name", SERVICES)
def test_each_unit_runs_an_existing_command_with_accepted_arguments(name: str) -> None:
    service = unit(name)["Service"]
    env = {**environment(), **dict(v.split("=", 1) for v in service.get("Environment", "").split() if v)}
    argv = shlex.split(re.sub(r"\$\{(\w+)\}", lambda m: env[m.group(1)], service["ExecStart"]))
    assert argv[0] == "/opt/giamngheo/.venv/bin/giamngheo"
    assert argv[1] in COMMANDS
    name_in_django = COMMANDS[argv[1]][0]
    command = load_command_class(get_commands()[name_in_django], name_in_django)
    try:
        command.create_parser("giamngheo", argv[1]).parse_args(argv[2:])
    except (CommandError, SystemExit) as exc:
        pytest.fail(f"{name}: {argv[1]} does not accept {argv[2:]}: {exc}")


@pytest.mark.parametrize("name", SERVICES)
def test_each_unit_is_hardened_and_writes_only_to_the_data_folder(name: str) -> None:
    parsed = unit(name)
    service = parsed["Service"]
    assert service["User"] == "giamngheo" and service["Group"] == "giamngheo"
    assert service["EnvironmentFile"] == "/etc/giamngheo/giamngheo.env"
    assert service["ProtectSystem"] == "strict"
    assert service["ReadWritePaths"].split() == [environment()["GIAMNGHEO_DATA_DIR"]]
    for key in ("NoNewPrivileges", "PrivateTmp", "ProtectHome", "PrivateDevices"):
        assert service[key] == "true", key
    assert service["CapabilityBoundingSet"] == ""
    if service["Type"] != "oneshot":
        assert service["Restart"] == "on-failure"
        assert parsed["Install"]["WantedBy"] == "multi-user.target"


def test_the_backup_timer_starts_the_backup_service_nightly() -> None:
    timer = unit("giamngheo-backup.timer")
    assert timer["Timer"]["Unit"] == "giamngheo-backup.service"
    assert (DEPLOY / "systemd" / timer["Timer"]["Unit"]).is_file()
    assert re.fullmatch(r"\*-\*-\* \d\d:\d\d:\d\d", timer["Timer"]["OnCalendar"])
    assert timer["Timer"]["Persistent"] == "true"
    assert timer["Install"]["WantedBy"] == "timers.target"


def test_nginx_forwards_the_proxy_headers_and_redirects_to_https() -> None:
    conf = (DEPLOY / "nginx" / "giamngheo.conf").read_text()
    code = "\n".join(line.split("#", 1)[0] for line in conf.splitlines())
    assert code.count("{") == code.count("}")
    assert re.search(r"proxy_set_header X-Forwarded-For \$remote_addr;", code)
    assert re.search(r"proxy_set_header X-Forwarded-Proto \$scheme;", code)
    assert re.search(r"proxy_set_header Host \$host;", code)
    assert re.search(r"proxy_set_header X-Request-ID \$request_id;", code)
    assert "return 301 https://$host$request_uri;" in code
    assert re.search(r"ssl_certificate\s+/etc/letsencrypt/live/[^/]+/fullchain\.pem;", code)
    assert re.search(r"ssl_certificate_key\s+/etc/letsencrypt/live/[^/]+/privkey\.pem;", code)
    env = environment()
    assert f"server {env['HOST']}:{env['PORT']};" in code
    size = re.search(r"client_max_body_size (\d+)m;", code)
    assert size and int(size.group(1)) * 1024 * 1024 > MAX_UPLOAD_BYTES
    log_format = re.search(r"log_format giamngheo (.*?);", code, re.DOTALL)
    assert log_format and "$uri" in log_format.group(1)
    assert not re.search(
        r"\$(request|request_uri|args|query_string)(?![_a-z])", log_format.group(1)
    )  # no query
