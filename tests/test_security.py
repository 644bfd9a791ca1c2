"""Security by default: headers, the production settings' own checks, the admin
login's lockout, rate limits, no email address in logs or error reports, upload
limits, and framework versions no older than the security floors."""

import logging
import os
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.test import Client, RequestFactory
from packaging.requirements import Requirement
from packaging.version import Version

from security.redaction import ExceptionReporterFilter, RedactEmailsFilter
from tests.events.factories import form_data, make_event, register_url

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent
ORIGIN = {"HTTP_ORIGIN": "http://testserver"}


def policy(response):
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def test_public_pages_carry_a_strict_content_security_policy_and_the_other_headers(client):
    for url in ("/en/", "/fr/stories/", "/nl/events/", "/en/search/?q=x"):
        response = client.get(url)
        csp = policy(response)
        assert "'unsafe-inline'" not in response["Content-Security-Policy"], url
        assert "'unsafe-eval'" not in response["Content-Security-Policy"], url
        assert csp["default-src"] == ["'self'"]
        assert csp["script-src"] == ["'self'"]
        assert csp["style-src"] == ["'self'"]
        assert csp["frame-ancestors"] == ["'self'"]
        assert csp["frame-src"] == ["https://www.youtube-nocookie.com", "https://player.vimeo.com"]
        assert csp["object-src"] == ["'none'"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
        assert response["X-Frame-Options"] == "DENY"


def test_a_cached_page_gets_the_same_headers(client):
    client.get("/en/")
    response = client.get("/en/")
    assert response["X-Page-Cache"] == "hit"
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_public_html_has_no_inline_script_or_style(client):
    """What makes the strict policy possible: nothing inline to allow."""
    for url in ("/en/", "/fr/events/", "/nl/newsletter/", "/en/stories/"):
        html = client.get(url).content.decode()
        assert " style=" not in html, url
        assert "<style" not in html, url
        for chunk in html.split("<script")[1:]:
            opening = chunk.split(">", 1)[0]
            assert "src=" in opening or "application/ld+json" in opening, (url, opening)


def test_the_admin_gets_its_own_policy(editor_client):
    response = editor_client.get("/admin/")
    csp = policy(response)
    assert "'unsafe-inline'" in csp["script-src"]
    assert csp["frame-ancestors"] == ["'self'"]


def production_env(**overrides):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "AWS_", "FRONTEND_CACHE"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "diaspora_site.settings.production",
            "SECRET_KEY": "a-long-random-production-secret-" + "x7Qz9" * 10,
            "ALLOWED_HOSTS": "diaspora.example.org",
            "DATABASE_URL": "postgres://app@db.internal:5432/diaspora",
            "REDIS_URL": "redis://cache.internal:6379/0",
            "WAGTAILADMIN_BASE_URL": "https://diaspora.example.org",
            "DEFAULT_FROM_EMAIL": "Diaspora <news@diaspora.example.org>",
            "TRUSTED_PROXY_COUNT": "1",
        }
    )
    env.update(overrides)
    return {key: value for key, value in env.items() if value is not None}


def manage(*args, env):
    return subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_production_settings_pass_djangos_deployment_checks():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "missing", ["SECRET_KEY", "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS", "TRUSTED_PROXY_COUNT"]
)
def test_production_refuses_to_start_without_a_required_setting(missing):
    result = manage("check", env=production_env(**{missing: None}))
    assert result.returncode != 0
    assert f"The environment variable {missing} must be set in production." in result.stderr


def test_production_settings_with_every_service_configured():
    """Object storage, a CDN and an email service, as docs/production.md lists them."""
    env = production_env(
        AWS_STORAGE_BUCKET_NAME="diaspora-media",
        AWS_S3_CUSTOM_DOMAIN="media.diaspora.example.org",
        FRONTEND_CACHE_BACKEND="cloudflare",
        FRONTEND_CACHE_BEARER_TOKEN="token",  # noqa: S106
        FRONTEND_CACHE_ZONEID="zone",
    )
    code = (
        "from django.conf import settings as s;"
        "print(s.STORAGES['default']['BACKEND']);"
        "print(s.WAGTAILFRONTENDCACHE['default']['BACKEND']);"
        "print(' '.join(s.SECURE_CSP['img-src']));"
        "print(s.CACHES['default']['BACKEND'])"
    )
    result = manage("shell", "--no-imports", "-c", code, env=env)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.split("\n")
    assert lines[0] == "storages.backends.s3.S3Storage"
    assert lines[1] == "wagtail.contrib.frontend_cache.backends.CloudflareBackend"
    assert "https://media.diaspora.example.org" in lines[2]
    assert lines[3] == "diaspora_site.cache_backend.ResilientRedisCache"


def words(response):
    return " ".join(BeautifulSoup(response.content, "html.parser").main.get_text(" ").split())


def login(client, username, password):
    return client.post(
        "/admin/login/", {"username": username, "password": password}, REMOTE_ADDR="10.9.8.7"
    )


def test_the_admin_login_locks_after_five_failures_and_says_the_same_for_unknown_users(
    django_user_model,
):
    django_user_model.objects.create_user("editor-amina", password="right-password-123")
    answers = {}
    for username in ("editor-amina", "nobody-at-all"):
        client = Client()
        for _ in range(4):
            failed = login(client, username, "wrong-password")
            assert failed.status_code == 200  # the form again, with its error
        assert login(client, username, "wrong-password").status_code == 429  # the 5th
        answers[username] = login(client, username, "right-password-123")
    locked = answers["editor-amina"]
    assert locked.status_code == 429
    assert "Too many attempts" in locked.content.decode()
    assert "_auth_user_id" not in Client().session
    unknown = answers["nobody-at-all"]
    # No user enumeration: the same status and words whether the account exists.
    assert unknown.status_code == locked.status_code
    assert words(unknown) == words(locked)  # (the pages differ only by their CSRF token)


def test_a_successful_login_resets_the_count(django_user_model):
    django_user_model.objects.create_user("editor-jan", password="right-password-123")
    client = Client()
    for _ in range(4):
        login(client, "editor-jan", "wrong")
    assert login(client, "editor-jan", "right-password-123").status_code == 302


def test_every_public_post_has_a_rate_limit(client, settings):
    """Posts without a form limit of their own (token links) meet the ceiling."""
    from public_forms import middleware as public_forms

    settings_limit = public_forms.PUBLIC_POST_RATE_LIMIT
    statuses = [
        client.post(
            "/fr/events/registration/not-a-token/cancel/", REMOTE_ADDR="10.1.1.1"
        ).status_code
        for _ in range(settings_limit[0] + 1)
    ]
    assert statuses[0] == 400
    assert statuses[-1] == 429
    assert (
        "Trop de tentatives"
        in client.post("/fr/newsletter/unsubscribe/x/", REMOTE_ADDR="10.1.1.1").content.decode()
    )
    # Another address is not affected.
    assert (
        client.post(
            "/fr/events/registration/not-a-token/cancel/", REMOTE_ADDR="10.1.1.2"
        ).status_code
        == 400
    )


def test_behind_a_proxy_the_limit_counts_the_visitors_address(rf, settings):
    from security.rate_limits import client_ip

    settings.TRUSTED_PROXY_COUNT = 1
    request = rf.post("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7", REMOTE_ADDR="10.0.0.1")
    # The address the load balancer appended, not one the client wrote itself.
    assert client_ip(request) == "198.51.100.7"
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.1"


def test_no_email_address_reaches_the_logs(client, caplog):
    event = make_event()
    with caplog.at_level(logging.DEBUG):
        response = client.post(
            register_url(event["nl"]), form_data("fatou.secret@example.org"), **ORIGIN
        )
        logging.getLogger("events").warning("Registered fatou.secret@example.org twice")
    assert response.status_code == 303
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "to %s", ("a.b@example.org",), None)
    RedactEmailsFilter().filter(record)
    assert record.getMessage() == "to [email]"
    # The console handler's filter, as configured in LOGGING, is the one above.
    assert settings.LOGGING["handlers"]["console"]["filters"] == ["redact_emails"]
    formatted = [RedactEmailsFilter().filter(r) and r.getMessage() for r in caplog.records]
    assert not any("fatou.secret@example.org" in line for line in formatted)


def test_error_reports_hide_email_addresses():
    request = RequestFactory().post(
        "/en/newsletter/subscribe/", {"email": "hidden@example.org", "note": "x@y.org", "n": "1"}
    )
    reporter = ExceptionReporterFilter()
    cleaned = reporter.get_post_parameters(request)
    assert cleaned["email"] == reporter.cleansed_substitute
    assert cleaned["note"] == reporter.cleansed_substitute
    assert cleaned["n"] == "1"


def test_uploads_are_limited_in_size():
    assert settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE == 10 * 1024 * 1024
    assert settings.WAGTAILDOCS_MAX_UPLOAD_SIZE == 10 * 1024 * 1024
    assert settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS == 40_000_000
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 2_621_440


def test_an_oversized_image_upload_is_refused_in_the_admin(editor_client, settings):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 1024
    from django.core.files.uploadedfile import SimpleUploadedFile

    from home.models import CustomImage

    before = CustomImage.objects.count()
    big = SimpleUploadedFile("big.png", b"\x89PNG\r\n\x1a\n" + b"0" * 4096, "image/png")
    response = editor_client.post(
        "/admin/images/add/", {"title": "Too big", "file": big, "description": "x"}
    )
    assert response.status_code == 200
    assert "This file is too big" in response.content.decode()
    assert CustomImage.objects.count() == before


def floors():
    lines = (ROOT / "security-floors.txt").read_text().splitlines()
    return [Requirement(line) for line in lines if line.strip() and not line.startswith("#")]


@pytest.mark.parametrize("floor", floors(), ids=lambda r: r.name)
def test_the_installed_framework_is_not_older_than_its_security_floor(floor):
    installed = Version(version(floor.name))
    assert floor.specifier.contains(installed), f"{floor.name} {installed} is below {floor}"
