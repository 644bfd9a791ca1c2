"""Settings for running the site for years (imported by base.py): backups, how long
each kind of personal data is kept, and the mail that goes out and comes back."""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent

# --- Backups (backups/, README "Backups") ------------------------------------
# A folder off the public tree (refused inside MEDIA_ROOT, STATIC_ROOT or the
# committed project); copy it off the server. The newest BACKUP_KEEP are kept.
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR") or BASE_DIR / "var" / "backups")
BACKUP_KEEP = 14  # production reads BACKUP_KEEP from the environment

# --- Retention of personal data -----------------------------------------------
# How many days each kind of personal data is kept once its purpose is served;
# `manage.py purge_personal_data` (daily) deletes what is older, and the privacy
# page's "Retention periods" block states them (privacy/retention.py). The other
# periods live with their feature: NEWSLETTER's UNCONFIRMED_DAYS and INVITATION_DAYS,
# EVENTS_REGISTRATION_RETENTION_MONTHS, DISCUSSION_RETENTION_DAYS.
RETENTION = {
    # Contact and survey answers, counted from the day they were sent.
    "form_answers": 365,
    # Applications to a call, counted from the call's deadline (from the day sent
    # for a call without one): a cooperation can be checked for two years.
    "call_applications": 730,
    # An event proposal's organiser contact details (name, email, organisation),
    # counted from the proposal, and kept at least until its event is over.
    "event_proposals": 365,
    # Finished task rows (their arguments can hold an address): successful ones...
    "finished_tasks": 7,
    # ...and failed ones, kept longer to look into.
    "failed_tasks": 30,
    # Admin history entries whose object is a person's data (a subscriber, a
    # registration, a form answer, a user...); page history is kept.
    "admin_log_people": 730,
    # Search terms and their daily counts (the admin's "Search terms" report).
    "search_terms": 30,
    # Backups: the newest BACKUP_KEEP are kept, one a day on the daily timer (README
    # "Backups"); None would leave them unstated.
    "backups": BACKUP_KEEP,
}
# Wagtail's searchpromotions_garbage_collect follows the same period.
WAGTAILSEARCH_HITS_MAX_AGE = RETENTION["search_terms"]

# --- Mail: DKIM, bounce address, the mailbox process_mail reads (mailroom/) --------
# The envelope sender (Return-Path) of the site's mail; issues get a VERP address
# on it (bounces+<signed delivery token>@…). Empty: the From address, as Django does.
MAIL_BOUNCE_ADDRESS = ""
# DKIM: the path of a PEM RSA private key, its selector, and the d= domain (empty:
# DEFAULT_FROM_EMAIL's). No key: the site signs nothing (the MTA may).
DKIM_PRIVATE_KEY = ""
DKIM_SELECTOR = ""
DKIM_DOMAIN = ""
# Where delivery reports, complaints and unsubscribe requests arrive: a Maildir a
# local MTA fills, or an IMAP mailbox (IMAPS). `manage.py process_mail` reads it.
INCOMING_MAIL = {
    "MAILDIR": "",
    "IMAP_HOST": "",
    "IMAP_PORT": 993,
    "IMAP_USER": "",
    "IMAP_PASSWORD": "",
    "IMAP_FOLDER": "INBOX",
    # Where handled messages go, and those left for a person (Maildir: ".Name").
    "PROCESSED_FOLDER": "Processed",
    "PERSON_FOLDER": "Needs-a-person",
}
