"""Editors viewing public pages: Wagtail's userbar is there, under the strict policy
(no 'unsafe-inline'; a nonce for what uses one), and their pages are never cached
or shown to anyone else. (The browser suite checks the userbar and its accessibility
checker run without a refusal: tests/browser/test_editor_userbar.py.)"""

import pytest
from django.test import Client

from tests.test_security import policy

pytestmark = pytest.mark.django_db


def test_an_editor_gets_the_userbar_under_the_strict_policy(editor_client):
    response = editor_client.get("/fr/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<wagtail-userbar>" in html
    csp = policy(response)
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert csp["script-src"][0] == "'self'" and csp["style-src"][0] == "'self'"
    assert all(v.startswith("'nonce-") for v in csp["script-src"][1:] + csp["style-src"][1:])
    assert csp["object-src"] == ["'none'"] and csp["frame-ancestors"] == ["'self'"]
    # Never kept by the page cache or a CDN.
    assert "private" in response["Cache-Control"]
    assert "X-Page-Cache" not in response


def test_the_editors_page_is_never_served_to_a_visitor(editor_client):
    editor_client.get("/en/")
    visitor = Client().get("/en/")
    assert "wagtail-userbar" not in visitor.content.decode()
    assert "'nonce-" not in visitor["Content-Security-Policy"]
    assert "'unsafe-inline'" not in visitor["Content-Security-Policy"]


def test_the_admin_keeps_its_own_policy(editor_client):
    response = editor_client.get("/admin/")
    assert "'unsafe-inline'" in policy(response)["script-src"]
