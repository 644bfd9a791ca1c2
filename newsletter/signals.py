"""The newsletter's own signal: a subscription has just started."""

from django.dispatch import Signal

# Sent with `subscriber` inside the transaction that made it `confirmed`, once per
# subscription (subscriptions.confirm, invitations.accept). The welcome email
# listens (newsletter/welcome.py), so that those modules need not import it.
subscription_confirmed = Signal()
