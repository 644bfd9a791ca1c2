"""One person's data, everywhere (GDPR articles 15 and 17): find, export and erase
what is stored about one email address across the newsletter, events, calls and
forms, from Settings → Personal data or `manage.py personal_data`. It sits on top of
the features it searches; nothing imports it."""
