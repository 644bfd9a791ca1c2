"""One person's data, everywhere (GDPR articles 15 and 17), and the suppression list.

- `suppression.py` and `models.py`: the suppression list (hashes of erased
  addresses). They import no other app of the project, so `newsletter` and
  `events` use them to skip erased addresses in the mail they send.
- `personal_data.py`: export and erasure of everything stored about one address,
  across the newsletter, events, calls and forms. It builds on those apps (and
  nothing imports it but this app's admin view and management command).
"""
