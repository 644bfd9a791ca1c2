"""Security pieces that know no page: the admin's Content-Security-Policy, email
addresses kept out of logs and error reports, the client address and request
counting behind every rate limit, and spreadsheet cells that never run as formulas.
See docs/architecture.md."""
