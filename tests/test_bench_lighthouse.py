"""`make bench-lighthouse` (bench/lighthouse.py) itself is too long for CI; its
medians, table and thresholds, and its proxy's compression, are checked here."""

import gzip

from bench import https_proxy
from bench.lighthouse import below_target, failing_audits, medians, scores, table


def report(performance, accessibility, best_practices, seo, audits=None):
    refs = [{"id": name} for name in (audits or {})]
    return {
        "categories": {
            "performance": {"score": performance, "auditRefs": refs},
            "accessibility": {"score": accessibility, "auditRefs": refs[:1]},
            "best-practices": {"score": best_practices, "auditRefs": []},
            "seo": {"score": seo, "auditRefs": []},
        },
        "audits": audits or {},
    }


def test_the_median_of_three_runs_decides_and_the_table_marks_what_is_below_target():
    runs = [report(0.91, 1, 0.96, 1), report(0.97, 1, 0.96, 1), report(0.99, 0.98, 1, 1)]
    median = medians([scores(run) for run in runs])
    assert median == {"performance": 97, "accessibility": 100, "best-practices": 96, "seo": 100}
    assert below_target(median) == ["best-practices"]
    assert below_target({**median, "performance": 94, "best-practices": 100}) == ["performance"]
    assert below_target({**median, "best-practices": 100}) == []

    lines = table([("newsletter issue", "fr", median)]).splitlines()
    assert lines[0] == "| page             | lang | perf | a11y | best pr. | SEO |"
    assert lines[2] == "| newsletter issue | fr   |   97 |  100 |      96* | 100 |"


def test_a_run_lighthouse_could_not_score_counts_as_zero():
    median = medians([scores(report(None, 1, 1, 1))])
    assert median["performance"] == 0
    assert below_target(median) == ["performance"]


def test_the_failing_audits_are_named_with_their_value():
    audits = {
        "color-contrast": {
            "title": "Contrast",
            "score": 0,
            "scoreDisplayMode": "binary",
        },
        "largest-contentful-paint": {
            "title": "Largest Contentful Paint",
            "score": 0.85,
            "scoreDisplayMode": "numeric",
            "displayValue": "2.9 s",
        },
        "diagnostics": {"title": "Diagnostics", "score": None, "scoreDisplayMode": "informative"},
        "viewport": {"title": "Viewport", "score": 1, "scoreDisplayMode": "binary"},
    }
    failing = failing_audits(report(0.9, 0.9, 1, 1, audits))
    assert failing["performance"] == [
        "color-contrast: Contrast",
        "largest-contentful-paint: Largest Contentful Paint (2.9 s)",
    ]
    assert failing["accessibility"] == ["color-contrast: Contrast"]
    assert "best-practices" not in failing


def test_the_proxy_gzips_html_for_those_who_accept_it_and_varies_on_it():
    page = b"<!doctype html><title>Issue 1</title>" + b"<p>news</p>" * 100
    headers = [("Content-Type", "text/html; charset=utf-8"), ("Vary", "Cookie")]

    sent, body = https_proxy.compress(headers, page, "gzip, deflate, br")
    assert ("Content-Encoding", "gzip") in sent
    assert ("Vary", "Cookie, Accept-Encoding") in sent
    assert gzip.decompress(body) == page

    sent, body = https_proxy.compress(headers, page, "identity")
    assert body == page
    assert "Content-Encoding" not in dict(sent)
    assert dict(sent)["Vary"] == "Cookie, Accept-Encoding"
    assert https_proxy.compress(headers, page, "gzip;q=0")[1] == page

    # whitenoise's precompressed files pass as they are
    static = [("Content-Type", "text/css"), ("Content-Encoding", "br")]
    assert https_proxy.compress(static, b"x" * 1000, "gzip, br") == (static, b"x" * 1000)
