"""A database that is away (restarting, failing over) gives a 503 "try again in a
minute" in the visitor's language, never a 500 with a traceback."""

import logging

import pytest
from django.db import OperationalError, connection
from django.test import Client

from tests.events.factories import form_data as registration_data
from tests.events.factories import make_event, register_url
from tests.helpers import text_of

pytestmark = pytest.mark.django_db


def database_restarting(execute, sql, params, many, context):
    raise OperationalError("server closed the connection unexpectedly")


@pytest.fixture
def visitor():
    return Client(raise_request_exception=False)


@pytest.mark.parametrize(
    "path, words",
    [
        ("/en/", "The site is briefly unavailable"),
        ("/fr/", "Le site est momentanément indisponible"),
        ("/nl/", "De site is even niet beschikbaar"),
    ],
)
def test_pages_answer_503_in_the_visitors_language(visitor, path, words):
    with connection.execute_wrapper(database_restarting):
        response = visitor.get(path)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"
    response.status_code = 200  # read it like any page
    assert words in text_of(response)
    assert "Traceback" not in response.content.decode()


def test_a_form_sent_during_the_restart_is_told_to_send_again(visitor):
    url = register_url(make_event()["fr"])
    with connection.execute_wrapper(database_restarting):
        response = visitor.post(url, registration_data(), HTTP_ORIGIN="http://testserver")
    assert response.status_code == 503
    response.status_code = 200
    assert "renvoyez-le" in text_of(response)


def test_other_errors_stay_500(visitor, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("home.models.HomePage.get_context", broken)
    response = visitor.get("/en/")
    assert response.status_code == 500
    assert "Retry-After" not in response


def test_the_outage_is_logged_once_a_minute_not_per_request(visitor):
    records = []
    handler = logging.Handler()
    handler.emit = records.append
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        with connection.execute_wrapper(database_restarting):
            for _ in range(5):
                assert visitor.get("/nl/").status_code == 503
    finally:
        logger.removeHandler(handler)
    assert len(records) <= 1, [record.getMessage() for record in records]
