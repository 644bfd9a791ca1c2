"""An address shown on a page opened from a personal link, masked: enough for its
holder to recognise it, not enough for someone who sees the screen (or the
forwarded link) to learn it. `{{ email|masked_email }}` (privacy_tags)."""

MASK = "•••"


def mask_email(email):
    """ "amina@example.org" → "a•••@example.org"."""
    local, at, domain = (email or "").partition("@")
    if not at:
        return MASK
    return f"{local[:1]}{MASK}@{domain}"
