"""DKIM: what the site sends is signed when a key is configured, and the signature
verifies with the public key `manage.py dkim_key` prints for the DNS (dkimpy's
verify, with a resolver answering that record); a changed message fails."""

import re
from io import StringIO

import dkim
import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client

from mailroom import dkim_signing
from mailroom.management.commands.dkim_key import txt_value
from newsletter import sending
from newsletter.models import Delivery
from tests.newsletter.test_sending import confirmed, issue
from tests.newsletter.test_subscription import subscribe

SELECTOR = "site2026"
DOMAIN = "iom-belgium.example"


@pytest.fixture(scope="module")
def key_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("dkim") / "dkim.pem"
    call_command("dkim_key", generate=str(path), stdout=StringIO(), stderr=StringIO())
    return path


@pytest.fixture
def dkim_settings(settings, key_path):
    settings.DKIM_PRIVATE_KEY = str(key_path)
    settings.DKIM_SELECTOR = SELECTOR
    settings.DKIM_DOMAIN = ""  # DEFAULT_FROM_EMAIL's
    settings.MAIL_BOUNCE_ADDRESS = f"bounces@{DOMAIN}"
    dkim_signing._configured.cache_clear()
    yield settings
    dkim_signing._configured.cache_clear()


def dns_for(key_path):
    record = txt_value(key_path).encode()
    asked = []

    def dnsfunc(name, timeout=5):
        asked.append(name)
        return record if name == f"{SELECTOR}._domainkey.{DOMAIN}.".encode() else None

    return dnsfunc, asked


def signed_headers(raw):
    """The names in the signature's h= tag, lower case."""
    folded = re.sub(rb"\s", b"", raw.split(b"\r\n\r\n", 1)[0])
    return re.search(rb"DKIM-Signature:.*?;h=([^;]+);", folded).group(1).lower().split(b":")


class Capture:
    """aiosmtpd handler keeping the envelope sender and the bytes as received."""

    def __init__(self):
        self.received = []

    async def handle_DATA(self, server, session, envelope):
        self.received.append((envelope.mail_from, envelope.rcpt_tos, envelope.original_content))
        return "250 OK"


@pytest.fixture
def smtp(settings):
    from aiosmtpd.controller import Controller

    from tests.newsletter.smtp_server import free_port

    capture = Capture()
    port = free_port()
    controller = Controller(capture, hostname="127.0.0.1", port=port)
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "mailroom.backends.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 10},
        }
    }
    yield capture
    controller.stop()


def test_the_dns_record_printed_is_the_key_s(key_path, dkim_settings):
    out = StringIO()
    call_command("dkim_key", stdout=out)
    printed = "".join(re.findall(r'"([^"]*)"', out.getvalue()))
    assert out.getvalue().startswith(f"{SELECTOR}._domainkey.{DOMAIN}. IN TXT")
    assert printed == txt_value(key_path)
    assert printed.startswith("v=DKIM1; k=rsa; p=MII")


@pytest.mark.django_db
def test_a_visitor_s_email_is_signed_and_verifies(dkim_settings, key_path, smtp):
    response = subscribe(Client())
    assert response.status_code == 303
    assert len(smtp.received) == 1
    mail_from, rcpts, raw = smtp.received[0]
    assert rcpts == ["amina@example.org"]
    assert mail_from == f"bounces@{DOMAIN}"  # the plain bounce address
    assert raw.startswith(b"DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed;")
    dnsfunc, asked = dns_for(key_path)
    assert dkim.verify(raw, dnsfunc=dnsfunc)
    assert asked == [f"{SELECTOR}._domainkey.{DOMAIN}.".encode()]
    for name in (b"from", b"to", b"subject", b"date", b"message-id", b"content-type"):
        assert name in signed_headers(raw)
    # Tampering breaks it.
    assert not dkim.verify(raw.replace(b"Subject: ", b"Subject: Re: ", 1), dnsfunc=dnsfunc)


@pytest.mark.django_db
def test_an_issue_is_signed_with_its_unsubscribe_headers_and_a_verp_sender(
    dkim_settings, key_path, smtp
):
    readers = [confirmed("lea@example.org", "fr"), confirmed("jan@example.org", "nl")]
    mailing = sending.start_mailing(issue())
    sending.run_mailing(mailing.pk)
    assert len(smtp.received) == 2
    dnsfunc, _asked = dns_for(key_path)
    for mail_from, rcpts, raw in smtp.received:
        delivery = Delivery.objects.get(mailing=mailing, subscriber__email=rcpts[0])
        assert delivery.status == "sent"
        # The envelope sender names the delivery, signed; no address in it.
        assert re.fullmatch(rf"bounces\+d[0-9a-z]+-[a-z2-7]{{16}}@{DOMAIN}", mail_from)
        assert rcpts[0].split("@")[0] not in mail_from
        assert dkim.verify(raw, dnsfunc=dnsfunc)
        signed = signed_headers(raw)
        assert b"list-unsubscribe" in signed and b"list-unsubscribe-post" in signed
        # A changed unsubscribe link, or a changed body, fails.
        tampered = re.sub(rb"unsubscribe%20[^>]+>", b"unsubscribe%20forged>", raw, count=1)
        assert tampered != raw and not dkim.verify(tampered, dnsfunc=dnsfunc)
        assert not dkim.verify(raw[:-20] + b"X" + raw[-19:], dnsfunc=dnsfunc)
    assert {reader.email for reader in readers} == {r[1][0] for r in smtp.received}


@pytest.mark.django_db
def test_without_a_key_nothing_is_signed(settings, smtp):
    settings.DKIM_PRIVATE_KEY = ""
    settings.MAIL_BOUNCE_ADDRESS = ""
    mail.send_mail("Hello", "Body", "diaspora@iom-belgium.example", ["amina@example.org"])
    mail_from, _rcpts, raw = smtp.received[0]
    assert b"DKIM-Signature" not in raw
    assert mail_from == "diaspora@iom-belgium.example"
