"""What the newsletter does with mail that comes back (`manage.py process_mail`,
mailroom): registered under mailroom's `register_incoming_mail_handler` hook.

- A delivery report that came back to an issue's VERP address (sending_batch):
  hard, the subscriber becomes `bounced` (as anymail's webhook does, bounces.mark:
  suppression list included) and the Delivery row's `feedback` `bounced`; soft,
  only the row's `feedback` becomes `delayed` (nobody leaves the list for a full
  mailbox).
- A complaint (an ARF feedback report) that names a delivery (the returned
  message's Return-Path) or carries the message's unsubscribe token (its
  List-Unsubscribe header): the subscriber becomes `complained`, and the row's
  `feedback` `complained`.
- An email to the List-Unsubscribe mailto address whose subject is
  `unsubscribe <token>`: unsubscribed, as the one-click link does. A token that is
  forged, or made for an address since erased, changes nothing: the message is left
  for a person, who can read what was asked.

A row keeps the strictest feedback (delayed < bounced < complained); handling a
message again changes nothing.
"""

from django.utils import timezone

from mailroom import incoming
from newsletter import bounces, subscriptions
from newsletter.models import Delivery, Subscriber
from newsletter.sending_batch import VERP_KIND

Feedback = Delivery.Feedback
# Which feedback a row may be given, by what it holds now.
_WEAKER = {
    Feedback.DELAYED: [Feedback.NONE],
    Feedback.BOUNCED: [Feedback.NONE, Feedback.DELAYED],
    Feedback.COMPLAINED: [Feedback.NONE, Feedback.DELAYED, Feedback.BOUNCED],
}


def handle(message):
    """Handle `message` (a mailroom.incoming.Incoming) if it is the newsletter's;
    returns what was done, or None."""
    delivery_id = message.verp[1] if message.verp and message.verp[0] == VERP_KIND else None
    if message.kind == incoming.BOUNCE and delivery_id is not None:
        return _bounce(delivery_id, message.permanent)
    if message.kind == incoming.COMPLAINT:
        return _complaint(delivery_id, message.tokens)
    if message.kind == incoming.UNSUBSCRIBE:
        subscriber = subscriptions.subscriber_from_unsubscribe_token(message.tokens[0])
        if subscriber is None:
            return None
        changed = subscriber.status == Subscriber.Status.CONFIRMED
        subscriptions.unsubscribe(subscriber)
        return "unsubscribed" if changed else "unsubscribe: nothing to change"
    return None


def _set_feedback(delivery_id, feedback):
    return Delivery.objects.filter(pk=delivery_id, feedback__in=_WEAKER[feedback]).update(
        feedback=feedback, feedback_at=timezone.now()
    )


def _bounce(delivery_id, permanent):
    subscriber_id = (
        Delivery.objects.filter(pk=delivery_id).values_list("subscriber_id", flat=True).first()
    )
    if not permanent:
        _set_feedback(delivery_id, Feedback.DELAYED)
        return "soft bounce"
    _set_feedback(delivery_id, Feedback.BOUNCED)
    if subscriber_id and bounces.mark(subscriber_id, Subscriber.Status.BOUNCED, "delivery report"):
        return "bounced"
    return "hard bounce: nothing to change"


def _complaint(delivery_id, tokens):
    subscriber_id = None
    if delivery_id is not None:
        _set_feedback(delivery_id, Feedback.COMPLAINED)
        subscriber_id = (
            Delivery.objects.filter(pk=delivery_id).values_list("subscriber_id", flat=True).first()
        )
    for token in tokens:
        if subscriber_id:
            break
        subscriber = subscriptions.subscriber_from_unsubscribe_token(token)
        subscriber_id = subscriber.pk if subscriber else None
    if subscriber_id is None:  # erased since, or tied to nobody (then for a person)
        return "complaint: nothing to change" if delivery_id is not None else None
    if bounces.mark(subscriber_id, Subscriber.Status.COMPLAINED, "feedback report"):
        return "complained"
    return "complaint: nothing to change"
