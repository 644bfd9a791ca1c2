from django.dispatch import Signal

# Sent by a form page once a visitor's answer is stored, with `submission`.
answer_stored = Signal()
