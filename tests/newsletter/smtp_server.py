"""A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps what it receives."""

import email
import email.policy
import socket
import threading
from contextlib import contextmanager

from aiosmtpd.controller import Controller


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Inbox:
    """aiosmtpd handler: stores each accepted message; can refuse addresses."""

    def __init__(self, refuse=(), *, pipelining=True):
        self.messages = []  # (envelope recipients, parsed message)
        self.refuse = set(refuse)
        # aiosmtpd reads commands one line at a time, so it can take them in groups,
        # but does not say so: this says so, as Postfix does (the worker then sends
        # each message's envelope ahead, newsletter/smtp_prepared.py).
        self.pipelining = pipelining
        self.lock = threading.Lock()
        self.on_data = None  # called with the running count, before answering 250

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        if self.pipelining:
            responses.insert(-1, "250-PIPELINING")
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return f"550 5.1.1 <{address}>: Recipient address rejected"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append((list(envelope.rcpt_tos), parsed))
            count = len(self.messages)
        if self.on_data:
            self.on_data(count)
        return "250 Message accepted"

    def to(self, address):
        return [message for rcpts, message in self.messages if address in rcpts]


@contextmanager
def smtp_server(refuse=(), *, pipelining=True):
    inbox = Inbox(refuse, pipelining=pipelining)
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        inbox.port = port
        inbox.mailers = {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 10},
            }
        }
        yield inbox
    finally:
        controller.stop()
