"""What every public form shares: the guards of a POST from a cached page (origin,
rate limit, honeypot, readable body), the answers a visitor may get, and the form
pages' machinery (fields whose answers line up across languages, the stored answer
with its consent, the view forms post to). See docs/caching-and-forms.md."""
