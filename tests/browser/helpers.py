"""What the browser tests check on a page: axe-core's verdict and where requests go."""

from urllib.parse import urlsplit

# WCAG 2.1 levels A and AA; axe-core runs only the rules tagged with these.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_RUN = """tags => axe.run(document, {
    runOnly: {type: "tag", values: tags},
    resultTypes: ["violations"],
})"""


# server.py serves tests/browser/vendor/ here: a script of the page's own origin.
AXE_URL = "/__browser-tests__/axe.min.js"


def axe_violations(page):
    """axe-core's WCAG 2.1 A/AA violations on the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(url=AXE_URL)
    return page.evaluate(AXE_RUN, WCAG_TAGS)["violations"]


def describe_violations(violations):
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"]:
            lines.append(f"  - {' '.join(map(str, node['target']))}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"    {summary}")
    return "\n".join(lines)


def assert_accessible(page):
    violations = axe_violations(page)
    assert not violations, (
        f"axe-core found WCAG 2.1 A/AA violations on {page.url}:\n"
        + describe_violations(violations)
    )


class RequestRecorder:
    """Records the URL of every request the page makes (documents, styles, images,
    scripts, fetches), from the moment it is attached."""

    LOCAL_HOSTS = {"127.0.0.1"}

    def __init__(self, page):
        self.urls = []
        page.on("request", lambda request: self.urls.append(request.url))

    def leaving(self):
        """The requests that go anywhere but 127.0.0.1 (data: and blob: URLs stay in
        the page)."""
        return [
            url
            for url in self.urls
            if urlsplit(url).scheme not in ("data", "blob")
            and urlsplit(url).hostname not in self.LOCAL_HOSTS
        ]


class PolicyViolations:
    """Collects what the browser refused under the Content-Security-Policy: inline
    script or style, a frame or image from a host the policy does not name."""

    def __init__(self, page):
        self.messages = []
        page.on(
            "console",
            lambda message: (
                "Content Security Policy" in message.text
                and self.messages.append(f"{page.url}: {message.text}")
            ),
        )
