"""VERP addresses that cannot be forged, and process_mail over IMAP (a stand-in for
imaplib's IMAP4_SSL holding the same samples)."""

import mailbox
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from mailroom import incoming, mailboxes, verp
from newsletter.models import Delivery
from tests.newsletter.test_process_mail import EXPECTED, FOR_A_PERSON, SAMPLES


def test_verp_addresses_round_trip_and_refuse_forgeries(settings):
    settings.MAIL_BOUNCE_ADDRESS = "bounces@iom-belgium.example"
    address = verp.envelope_sender("d", 123456)
    local = address.partition("@")[0]
    assert len(local) <= 64 and local.startswith("bounces+d2n9c-")
    assert verp.parse_address(address) == ("d", 123456)
    assert verp.parse_address(address.upper()) == ("d", 123456)  # a server lower-cased it
    assert verp.parse_address(address.replace("d2n9c", "d2n9d")) is None  # another row
    assert verp.parse_address("bounces@iom-belgium.example") is None
    assert verp.find_in(f"for <{address}>; Wed, 2 Dec") == ("d", 123456)
    # Made with a key since rotated: still recognised while it is a fallback.
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "new-key", [settings.SECRET_KEY]
    assert verp.parse_address(address) == ("d", 123456)
    settings.SECRET_KEY_FALLBACKS = []
    assert verp.parse_address(address) is None


def test_without_a_bounce_address_there_is_no_verp(settings):
    settings.MAIL_BOUNCE_ADDRESS = ""
    assert verp.envelope_sender("d", 1) == ""


def test_what_each_sample_is(settings):
    settings.MAIL_BOUNCE_ADDRESS = "bounces@iom-belgium.example"
    kinds = {}
    for path in SAMPLES.glob("*.eml"):
        raw = path.read_bytes().replace(b"{verp}", verp.envelope_sender("d", 7).encode())
        message = incoming.read(raw)
        kinds[path.name] = (message.kind, message.permanent)
    assert kinds["gmail_over_quota.eml"] == ("bounce", False)
    assert kinds["exim_unknown_user.eml"] == ("bounce", True)
    assert kinds["yahoo_arf_complaint.eml"][0] == "complaint"
    assert kinds["out_of_office.eml"][0] == "other"
    assert kinds["unrelated_question.eml"][0] == "other"


class FakeIMAP:
    """What process_mail uses of imaplib.IMAP4_SSL, over a dict of messages."""

    def __init__(self, host, port, ssl_context=None):
        self.host, self.port = host, port
        self.capabilities = ("IMAP4REV1", "MOVE") if self.with_move else ("IMAP4REV1",)
        self.folders = {"INBOX": {}}
        self.flags = {}
        self.folders["INBOX"] = dict(self.waiting)
        FakeIMAP.last = self

    def login(self, user, password):
        assert (user, password) == ("fbl", "secret")
        return "OK", [b"Logged in"]

    def select(self, name):
        self.selected = name
        return "OK", [str(len(self.folders[name])).encode()]

    def create(self, name):
        if name in self.folders:
            return "NO", [b"exists"]
        self.folders[name] = {}
        return "OK", [b""]

    def uid(self, command, *args):
        inbox = self.folders[self.selected]
        if command == "SEARCH":
            live = [uid for uid in inbox if "\\Deleted" not in self.flags.get(uid, set())]
            return "OK", [b" ".join(live)]
        uid = args[0]
        if command == "FETCH":
            assert args[1] == "(BODY.PEEK[])"
            return "OK", [(uid + b" (UID " + uid + b" BODY[] {1}", inbox[uid]), b")"]
        if command == "STORE":
            self.flags.setdefault(uid, set()).add(args[2].strip("()"))
            return "OK", [b""]
        if command in ("MOVE", "COPY"):
            self.folders[args[1]][uid] = (inbox[uid], set(self.flags.get(uid, set())))
            if command == "MOVE":
                del inbox[uid]
            return "OK", [b""]
        raise AssertionError(command)

    def expunge(self):
        inbox = self.folders[self.selected]
        for uid in [uid for uid in inbox if "\\Deleted" in self.flags.get(uid, set())]:
            del inbox[uid]
        return "OK", [b""]

    def logout(self):
        return "BYE", [b""]


@pytest.mark.parametrize("with_move", [True, False])
def test_process_mail_over_imap(world, settings, monkeypatch, with_move, maildir):
    deliveries, _bystanders = world
    # The same messages the Maildir holds, served by IMAP instead.
    waiting = {
        str(index + 1).encode(): message.as_bytes()
        for index, message in enumerate(
            mailbox.Maildir(maildir, create=False)[key]
            for key in sorted(mailbox.Maildir(maildir, create=False).keys())
        )
    }
    monkeypatch.setattr(FakeIMAP, "waiting", waiting, raising=False)
    monkeypatch.setattr(FakeIMAP, "with_move", with_move, raising=False)
    monkeypatch.setattr(mailboxes.imaplib, "IMAP4_SSL", FakeIMAP)
    settings.INCOMING_MAIL = {
        **settings.INCOMING_MAIL,
        "MAILDIR": "",
        "IMAP_HOST": "imap.example.org",
        "IMAP_USER": "fbl",
        "IMAP_PASSWORD": "secret",
    }
    out = StringIO()
    call_command("process_mail", stdout=out)
    server = FakeIMAP.last
    assert server.folders["INBOX"] == {}
    assert len(server.folders["Needs-a-person"]) == len(FOR_A_PERSON)
    assert all(flags == set() for _raw, flags in server.folders["Needs-a-person"].values())
    assert all("\\Seen" in flags for _raw, flags in server.folders["Processed"].values())
    for name, (status, feedback) in EXPECTED.items():
        delivery = Delivery.objects.select_related("subscriber").get(pk=deliveries[name].pk)
        assert (name, delivery.subscriber.status, delivery.feedback) == (name, status, feedback)


def test_an_imap_server_that_is_away_stops_the_run_with_a_clear_error(world, settings):
    from tests.newsletter.smtp_server import free_port

    settings.INCOMING_MAIL = {
        **settings.INCOMING_MAIL,
        "MAILDIR": "",
        "IMAP_HOST": "127.0.0.1",
        "IMAP_PORT": free_port(),  # nobody listens there
        "IMAP_USER": "fbl",
        "IMAP_PASSWORD": "secret",
    }
    before = list(Delivery.objects.values_list("pk", "feedback"))
    with pytest.raises(CommandError, match="The mailbox cannot be read: ConnectionRefusedError"):
        call_command("process_mail", stdout=StringIO())
    assert list(Delivery.objects.values_list("pk", "feedback")) == before


def test_an_imap_connection_lost_half_way_is_picked_up_again(world, settings, monkeypatch, maildir):
    """The connection drops after the first message is handled: the run stops with
    an error; the next run handles everything, the first message again without
    changing anything twice."""
    waiting = {
        str(index + 1).encode(): message.as_bytes()
        for index, message in enumerate(
            mailbox.Maildir(maildir, create=False)[key]
            for key in sorted(mailbox.Maildir(maildir, create=False).keys())
        )
    }
    monkeypatch.setattr(FakeIMAP, "waiting", waiting, raising=False)
    monkeypatch.setattr(FakeIMAP, "with_move", True, raising=False)
    monkeypatch.setattr(mailboxes.imaplib, "IMAP4_SSL", FakeIMAP)
    settings.INCOMING_MAIL = {
        **settings.INCOMING_MAIL,
        "MAILDIR": "",
        "IMAP_HOST": "imap.example.org",
        "IMAP_USER": "fbl",
        "IMAP_PASSWORD": "secret",
    }
    real_uid = FakeIMAP.uid

    def dropping(self, command, *args):
        if command == "MOVE":
            raise OSError("connection reset")
        return real_uid(self, command, *args)

    monkeypatch.setattr(FakeIMAP, "uid", dropping)
    with pytest.raises(CommandError, match="stopped answering: OSError"):
        call_command("process_mail", stdout=StringIO())
    monkeypatch.setattr(FakeIMAP, "uid", real_uid)
    out = StringIO()
    call_command("process_mail", stdout=out)
    assert "left for a person: 4" in out.getvalue()
    deliveries, _bystanders = world
    for name, (status, feedback) in EXPECTED.items():
        delivery = Delivery.objects.select_related("subscriber").get(pk=deliveries[name].pk)
        assert (name, delivery.subscriber.status, delivery.feedback) == (name, status, feedback)
