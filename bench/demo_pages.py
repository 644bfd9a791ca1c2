"""The demo's pages the benchmarks visit: one of each page type, by path under a
language prefix, and whether the speed budget counts it as an index or a detail page."""

PAGES = {
    "home": ("", "index"),
    "country index": ("countries/", "index"),
    "country": ("countries/rwanda/", "detail"),
    "project index": ("projects/", "index"),
    "project": ("projects/rwanda-health-and-education/", "detail"),
    "story index": ("stories/", "index"),
    "story (interview)": ("stories/women-diaspora-4dev-academy-interviews/", "detail"),
    "story (video)": ("stories/women-diaspora-4dev-academy-video/", "detail"),
    "story (article)": ("stories/mission-to-niger-and-tahoua-job-fair/", "detail"),
    "event index": ("events/", "index"),
    "event": ("events/rwanda-diaspora-info-session/", "detail"),
    "call": ("events/invest-in-a-rwanda-pilot-project/", "detail"),
    "newsletter index": ("newsletter/", "index"),
    "newsletter issue": ("newsletter/issue-1/", "detail"),
    "subscribe": ("newsletter/subscribe/", "detail"),
    "survey (form)": ("survey/", "detail"),
    "standard page": ("about/", "detail"),
    "search": ("search/?q=diaspora", "index"),
}
