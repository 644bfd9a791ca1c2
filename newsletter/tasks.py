"""Kept for task rows queued before the sending task moved next to the code it runs
(newsletter/sending.py): scheduled mailings name it by this path."""

from newsletter.sending import send_mailing

__all__ = ["send_mailing"]
