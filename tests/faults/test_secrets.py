"""Secrets in MONGO_URI are masked in every form (issue 13: credentials in
``authMechanismProperties``, ``tlsCertificateKeyFilePassword``, an unescaped ``@`` in the password
and a wrong scheme were printed on stderr).

Each URI goes through the command line (``python -m crawler runs`` with ``MONGO_URI`` set: exit 3,
one line, no traceback, no secret on stdout or stderr) and through the masking functions.
A URI pymongo cannot parse is never echoed: only its scheme and hosts, or ``<unparseable URI>``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from crawler.storage import UNPARSEABLE, describe_uri, mask_secrets, mask_uri
from tests.fixturetypes import RecordProperty

ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1:1"  # nothing listens there: refused at once

# (id, URI, the secret substrings that must never be shown)
FORMS = [
    ("plain", f"mongodb://crawler:Plain7Secret@{HOST}/govnews", ["Plain7Secret"]),
    (
        "authMechanismProperties",
        (
            f"mongodb://crawler:AwsPw7Secret@{HOST}/govnews?authMechanism=MONGODB-AWS"
            "&authMechanismProperties=AWS_SESSION_TOKEN:Tok7Secret"
        ),
        ["AwsPw7Secret", "Tok7Secret"],
    ),
    (
        "authMechanismProperties-no-user",
        (
            f"mongodb://{HOST}/govnews?authMechanism=MONGODB-AWS"
            "&authMechanismProperties=AWS_SESSION_TOKEN:Tok8Secret,SERVICE_NAME:Svc8Secret"
        ),
        ["Tok8Secret", "Svc8Secret"],
    ),
    (
        "tlsCertificateKeyFilePassword",
        (
            f"mongodb://crawler:TlsPw7Secret@{HOST}/govnews?tls=true"
            "&tlsCertificateKeyFile=/nonexistent/client.pem&tlsCertificateKeyFilePassword=Key7Secret"
        ),
        ["TlsPw7Secret", "Key7Secret"],
    ),
    (
        "tlsCertificateKeyFilePassword-file",
        (
            f"mongodb://crawler:TlsPw8Secret@{HOST}/govnews?tls=true"
            "&tlsCertificateKeyFile={pem}&tlsCertificateKeyFilePassword=Key8Secret"
        ),
        ["TlsPw8Secret", "Key8Secret"],
    ),
    ("unescaped-at", f"mongodb://crawler:p@ss7Secret@{HOST}/govnews", ["p@ss7Secret", "ss7Secret"]),
    (
        "unescaped-slash",
        f"mongodb://crawler:Sla/sh7Secret@{HOST}/govnews",
        ["Sla/sh7Secret", "sh7Secret"],
    ),
    (
        "unescaped-colon-and-at",
        f"mongodb://crawler:a:b@Col7Secret@{HOST}/govnews",
        ["a:b@Col7Secret", "Col7Secret"],
    ),
    (
        "percent-escaped",
        f"mongodb://crawler:%50ct7Secret@{HOST}/govnews",
        ["%50ct7Secret", "Pct7Secret"],
    ),
    ("wrong-scheme", f"mongo://crawler:Scheme7Secret@{HOST}/govnews", ["Scheme7Secret"]),
    ("http-scheme", f"http://crawler:Http7Secret@{HOST}/govnews", ["Http7Secret"]),
    ("no-scheme", "crawler:NoScheme7Secret@127.0.0.1/govnews", ["NoScheme7Secret"]),
    ("words", "not a uri Words7Secret", ["Words7Secret"]),
    ("bad-port", "mongodb://crawler:Port7Secret@127.0.0.1:notaport/govnews", ["Port7Secret"]),
    ("bad-ipv6", "mongodb://crawler:Ipv67Secret@[::1/govnews", ["Ipv67Secret"]),
    (
        "srv-two-hosts",
        "mongodb+srv://crawler:Srv7Secret@h1.invalid,h2.invalid/govnews",
        ["Srv7Secret"],
    ),
    (
        "unknown-option",
        f"mongodb://crawler:Opt7Secret@{HOST}/govnews?secretKey=Opt8Secret",
        ["Opt7Secret", "Opt8Secret"],
    ),
    ("write-concern-0", f"mongodb://crawler:W07Secret@{HOST}/govnews?w=0", ["W07Secret"]),
]


def _uri(template: str, tmp_path: Path) -> str:
    pem = tmp_path / "client.pem"
    pem.write_text("-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n")
    return template.replace("{pem}", str(pem))


def test_every_form_through_the_command_line(
    tmp_path: Path, record_property: RecordProperty
) -> None:
    """All at once (each waits up to the 5 s server-selection timeout)."""
    env_base = {k: v for k, v in __import__("os").environ.items() if k != "MONGO_URI"}
    procs = {
        name: (
            subprocess.Popen(
                [sys.executable, "-m", "crawler", "runs"],
                cwd=ROOT,
                text=True,
                env={
                    **env_base,
                    "CRAWLER_DATA_DIR": str(tmp_path / name),
                    "MONGO_URI": _uri(uri, tmp_path),
                },
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            ),
            secrets,
        )
        for name, uri, secrets in FORMS
    }
    failures = []
    shown_secrets = 0
    for name, (proc, secrets) in procs.items():
        out, err = proc.communicate(timeout=120)
        shown = out + err
        if proc.returncode not in (1, 3):
            failures.append(f"{name}: exit {proc.returncode}: {shown[-500:]}")
        if "Traceback" in err:
            failures.append(f"{name}: traceback: {err[-1500:]}")
        failures.extend(
            f"{name}: {secret!r} shown: {shown[-1000:]}" for secret in secrets if secret in shown
        )
        shown_secrets += sum(secret in shown for secret in secrets)
        errors = [line for line in err.splitlines() if line.startswith("error: ")]
        if len(errors) != 1 or not errors[0].startswith("error: store unavailable: "):
            failures.append(f"{name}: not one store error line: {shown[-500:]}")
    record_property("secrets_shown", shown_secrets)  # for benchmarks/faults_table.py
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(("name", "uri", "secrets"), FORMS, ids=[f[0] for f in FORMS])
def test_every_form_through_the_masking_functions(
    tmp_path: Path, name: str, uri: str, secrets: list[str], record_property: RecordProperty
) -> None:
    uri = _uri(uri, tmp_path)
    shown = describe_uri(uri)
    message = mask_secrets(f"connecting to {uri} failed: {' '.join(secrets)} ({uri!r})", uri)
    record_property("secrets_shown", sum(s in shown or s in message for s in secrets))
    for secret in secrets:
        assert secret not in shown
        assert secret not in message, message
    # options are never shown, and what cannot be read with certainty is not shown at all
    assert "?" not in shown
    assert shown == UNPARSEABLE or shown.split("://", 1)[1].split("/")[0].endswith(
        ("127.0.0.1:1", "127.0.0.1", "h2.invalid")
    )


@pytest.mark.parametrize(
    ("uri", "shown"),
    [
        (
            "mongodb://u:pw@db1,db2:27018/govnews?replicaSet=rs0",
            "mongodb://***@db1,db2:27018/govnews",
        ),
        ("mongodb://db1", "mongodb://db1"),
        (
            "mongodb+srv://u:pw@cluster0.example.net/?retryWrites=true",
            "mongodb+srv://***@cluster0.example.net",
        ),
        ("mongo://u:pw@h/db", "mongo://***@h/db"),
        ("mongodb://u:pa/ss@h/db", UNPARSEABLE),
        ("mongodb://u:pw@bad host/db", UNPARSEABLE),
        ("", UNPARSEABLE),
        ("db1:27017", UNPARSEABLE),
    ],
)
def test_describe_uri(uri: str, shown: str) -> None:
    assert describe_uri(uri) == shown


def test_mask_uri_in_any_text() -> None:
    text = (
        "a mongodb://u:p@ss@h/db?tlsCertificateKeyFilePassword=k1&x=1 and "
        "https://user:pw@example.gov.vn/a?token=abc&page=2 and http://plain.gov.vn/x@y"
    )
    masked = mask_uri(text)
    assert masked == (
        "a mongodb://***@h/db?tlsCertificateKeyFilePassword=***&x=1 and "
        "https://***@example.gov.vn/a?token=***&page=2 and http://plain.gov.vn/x@y"
    )
