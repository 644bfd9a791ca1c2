"""Every retention purge of the installed apps in one run (privacy.periods): what
each app registered in its `retention.py`, deleted in one transaction, with the
count of each kind; `--dry-run` only counts."""

from privacy import periods
from privacy.purging import PurgeCommand


class Command(PurgeCommand):
    help = (
        "Delete the personal data whose retention period is over, for every kind the "
        "installed apps registered (settings RETENTION and each feature's own periods): "
        "form answers, call applications, event proposals, registrations, unconfirmed "
        "sign-ups, turned-down contributions, search terms, finished tasks, admin history "
        "about people. Meant to run once a day; --dry-run only counts."
    )

    def expired(self, now):
        found = {}
        for kind in periods.kinds():
            if kind.expired is not None:
                found.update(kind.expired(now))
        return found

    def report(self, verb, counts):
        for label, count in counts.items():
            self.stdout.write(f"{verb} {count} {label}.")
