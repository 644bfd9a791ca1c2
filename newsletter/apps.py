from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsletterConfig(AppConfig):
    name = "newsletter"
    verbose_name = _("Newsletter")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from anymail.signals import tracking
        from django.db.models.signals import post_delete, pre_delete

        from newsletter import bounces, gdpr, results, welcome
        from newsletter.models import Subscriber
        from newsletter.signals import subscription_confirmed

        # Bounces and complaints from the email service's webhooks.
        tracking.connect(bounces.handle_tracking, dispatch_uid="newsletter.bounces")
        # A deleted subscriber leaves no admin log entry behind.
        post_delete.connect(
            gdpr.forget_log_entries, sender=Subscriber, dispatch_uid="newsletter.gdpr"
        )
        # An erased subscriber who had left the list still counts in issues' results.
        pre_delete.connect(
            results.keep_departure, sender=Subscriber, dispatch_uid="newsletter.results"
        )
        # The welcome email, queued in the transaction that confirms a subscription.
        subscription_confirmed.connect(welcome.on_confirmed, dispatch_uid="newsletter.welcome")
