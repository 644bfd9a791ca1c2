"""Two-factor sign-in to the admin, with enforcement on (marker `two_factor`): the
password step, then the code step or enrolment; no admin page, API answer or
background request before it; recovery codes; axes' limit on the code step."""

import re

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, Permission
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.twofactor.conftest import PASSWORD
from tests.twofactor.helpers import code_for, enrolled

pytestmark = [pytest.mark.django_db, pytest.mark.two_factor]

ADMIN_PAGES = [
    "/admin/",
    "/admin/pages/",
    "/admin/snippets/newsletter/subscriber/",
    "/admin/users/",
]


def text(response):
    return " ".join(BeautifulSoup(response.content, "html.parser").get_text(" ").split())


def enrol(client):
    """Read the key from the enrolment page, confirm with the app's code; returns the
    device and the recovery codes shown."""
    page = client.get("/admin/two-factor/set-up/")
    key = BeautifulSoup(page.content, "html.parser").select_one("#twofactor-key")["data-key"]
    device = TOTPDevice.objects.get(confirmed=False)
    assert device.config_url.split("secret=")[1].startswith(key)
    answer = client.post("/admin/two-factor/set-up/", {"code": code_for(device)})
    codes = [
        c.get_text()
        for c in BeautifulSoup(answer.content, "html.parser").select(".twofactor-codes code")
    ]
    device.refresh_from_db()
    return device, codes, answer


def test_a_superuser_without_a_device_reaches_no_admin_page_before_enrolling(superuser, sign_in):
    client = sign_in(superuser)
    for path in ADMIN_PAGES:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/admin/two-factor/set-up/?next=")
    # The admin's API and its background requests: a bare 403, no data.
    api = client.get("/admin/api/main/pages/")
    assert api.status_code == 403 and b"title" not in api.content
    ajax = client.get("/admin/pages/", headers={"X-Requested-With": "XMLHttpRequest"})
    assert ajax.status_code == 403
    search = client.get(
        "/admin/snippets/newsletter/subscriber/?q=a", headers={"Accept": "application/json"}
    )
    assert search.status_code == 403 and b"@" not in search.content
    # The icons the login frame's script fetches stay reachable (they hold no data).
    assert client.get("/admin/sprite/").status_code == 200
    # The enrolment page: a QR code drawn inline, the key as text, in the login frame.
    page = client.get("/admin/two-factor/set-up/")
    soup = BeautifulSoup(page.content, "html.parser")
    assert soup.select_one(".twofactor-qr svg path") is not None
    assert soup.select_one("body.login") is not None  # no admin menu
    assert (
        soup.select_one(".twofactor-uri")
        .get_text()
        .startswith("otpauth://totp/Diaspora%20Engagement%3Achief?secret=")
    )


def test_enrolling_shows_ten_recovery_codes_once_and_opens_the_admin(superuser, sign_in):
    client = sign_in(superuser)
    device, codes, answer = enrol(client)
    assert device.confirmed and answer.status_code == 200
    assert len(codes) == 10 and len(set(codes)) == 10
    assert "Your recovery codes" in text(answer)
    assert client.get("/admin/").status_code == 200
    # The codes are not shown again: the account page only counts them.
    account = client.get("/admin/account/two-factor/")
    assert "10 recovery codes are left" in text(account)
    assert not any(code in account.content.decode() for code in codes)


def test_a_wrong_code_at_enrolment_is_refused(superuser, sign_in):
    client = sign_in(superuser)
    client.get("/admin/two-factor/set-up/")
    answer = client.post("/admin/two-factor/set-up/", {"code": "000000"})
    assert "This code is not right" in text(answer)
    assert not TOTPDevice.objects.filter(user=superuser, confirmed=True).exists()
    assert client.get("/admin/").status_code == 302


def test_signing_in_asks_for_the_code_and_accepts_the_apps_code(superuser, sign_in):
    device = enrolled(superuser)
    client = sign_in(superuser)
    response = client.get("/admin/pages/")
    assert response["Location"] == "/admin/two-factor/?next=%2Fadmin%2Fpages%2F"
    page = client.get(response["Location"])
    assert "Enter the code from your app" in text(page)
    # Whoever has only the password cannot enrol a phone of their own instead.
    assert client.get("/admin/two-factor/set-up/")["Location"].startswith("/admin/two-factor/")
    answer = client.post("/admin/two-factor/", {"code": code_for(device), "next": "/admin/pages/"})
    assert answer["Location"] == "/admin/pages/"
    assert client.get("/admin/pages/").status_code == 200
    # The same code cannot be used again (a new session, the same 30 seconds).
    other = sign_in(superuser)
    refused = other.post("/admin/two-factor/", {"code": code_for(device)})
    assert refused.status_code == 200 and "This code is not right" in text(refused)


def test_a_recovery_code_works_once(superuser, sign_in):
    client = sign_in(superuser)
    _device, codes, _answer = enrol(client)
    client.logout()
    client = sign_in(superuser)
    used = client.post("/admin/two-factor/", {"code": codes[3].upper()})
    assert used.status_code == 302
    home = client.get("/admin/", follow=True)
    assert "You signed in with a recovery code. 9 codes are left" in text(home)
    client.logout()
    again = sign_in(superuser).post("/admin/two-factor/", {"code": codes[3]})
    assert again.status_code == 200 and "This code is not right" in text(again)


def test_five_wrong_codes_lock_the_code_step_as_axes_locks_the_password(superuser, sign_in):
    device = enrolled(superuser)
    client = sign_in(superuser)
    statuses = [client.post("/admin/two-factor/", {"code": "123456"}).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]
    # Signed out; signing in again with the password does not open the code step.
    assert "_auth_user_id" not in client.session
    client = sign_in(superuser)
    locked = client.post("/admin/two-factor/", {"code": code_for(device)})
    assert locked.status_code == 429 and "Too many attempts" in text(locked)
    assert client.get("/admin/pages/").status_code == 302


@pytest.mark.parametrize(
    "permission,protected",
    [
        ("newsletter.send_newsletter", True),
        ("newsletter.view_subscriber", True),
        ("privacy.manage_personal_data", True),
        ("events.view_registration", True),
        ("public_forms.view_publicformsubmission", True),
        ("wagtailadmin.access_admin", False),
    ],
)
def test_protection_follows_permissions_not_group_names(
    django_user_model, sign_in, permission, protected
):
    """A group made today, with a name nobody planned for, is protected as soon as it
    holds one of the permissions."""
    group = Group.objects.create(name="Office volunteers 2027")
    app, codename = permission.split(".")
    group.permissions.add(
        Permission.objects.get(content_type__app_label=app, codename=codename),
        Permission.objects.get(codename="access_admin"),
    )
    user = django_user_model.objects.create_user("volunteer", "v@example.org", PASSWORD)
    user.groups.add(group)
    response = sign_in(user).get("/admin/")
    if protected:
        assert response["Location"].startswith("/admin/two-factor/set-up/")
    else:
        assert response.status_code == 200


def test_a_translator_may_enrol_and_is_then_asked_for_codes(django_user_model, sign_in):
    call = __import__("django.core.management").core.management.call_command
    call("setup_translator_roles", verbosity=0)
    user = django_user_model.objects.create_user("traductrice", "t@example.org", PASSWORD)
    user.groups.add(Group.objects.filter(name__icontains="French").first())
    client = sign_in(user)
    account = client.get("/admin/account/two-factor/")
    assert account.status_code == 200 and "Off: you sign in with your password only" in text(
        account
    )
    enrol(client)
    client.logout()
    assert sign_in(user).get("/admin/")["Location"].startswith("/admin/two-factor/?next=")


def test_the_code_step_speaks_the_users_admin_language(superuser, sign_in):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(superuser)
    profile.preferred_language = "fr"
    profile.save()
    client = sign_in(superuser)
    page = client.get("/admin/two-factor/set-up/")
    assert BeautifulSoup(page.content, "html.parser").html["lang"] == "fr"
    assert "Configurer la double authentification" in text(page)
    enrolled_device = TOTPDevice.objects.get(user=superuser)
    wrong = client.post("/admin/two-factor/set-up/", {"code": "999999"})
    assert "Ce code n’est pas le bon" in text(wrong)
    assert enrolled_device.config_url


def test_regenerating_recovery_codes_cancels_the_old_ones(superuser, sign_in):
    client = sign_in(superuser)
    _device, old, _answer = enrol(client)
    page = client.post("/admin/account/two-factor/recovery-codes/")
    new = [
        c.get_text()
        for c in BeautifulSoup(page.content, "html.parser").select(".twofactor-codes code")
    ]
    assert len(new) == 10 and not set(new) & set(old)
    client.logout()
    assert sign_in(superuser).post("/admin/two-factor/", {"code": new[0]}).status_code == 302
    assert sign_in(superuser).post("/admin/two-factor/", {"code": old[0]}).status_code == 200


def test_resetting_ones_own_second_factor_needs_the_password(superuser, sign_in):
    client = sign_in(superuser)
    enrol(client)
    wrong = client.post("/admin/account/two-factor/", {"password": "not-it"})
    assert "This is not your password" in text(wrong)
    assert TOTPDevice.objects.filter(user=superuser).exists()
    done = client.post("/admin/account/two-factor/", {"password": PASSWORD})
    assert done.status_code == 302
    assert not TOTPDevice.objects.filter(user=superuser).exists()
    assert not StaticDevice.objects.filter(user=superuser).exists()
    # A superuser sets up the new phone before anything else.
    assert client.get("/admin/")["Location"].startswith("/admin/two-factor/set-up/")


def test_a_superuser_resets_a_lost_phone_in_the_admin_and_it_is_logged(
    superuser, sign_in, django_user_model
):
    from wagtail.models import ModelLogEntry

    editor = django_user_model.objects.create_superuser("lost-phone", "l@example.org", PASSWORD)
    enrolled(editor)
    client = sign_in(superuser)
    enrol(client)
    listing = client.get("/admin/users/")
    assert f"/admin/users/{editor.pk}/two-factor/reset/" in listing.content.decode()
    assert client.post(f"/admin/users/{editor.pk}/two-factor/reset/").status_code == 302
    assert not TOTPDevice.objects.filter(user=editor).exists()
    entry = ModelLogEntry.objects.get(action="twofactor.reset", object_id=str(editor.pk))
    assert entry.user_id == superuser.pk
    # Their next sign-in enrols again.
    assert sign_in(editor).get("/admin/")["Location"].startswith("/admin/two-factor/set-up/")


def test_only_a_superuser_resets_another_users_second_factor(django_user_model, sign_in):
    other = django_user_model.objects.create_superuser("other", "o@example.org", PASSWORD)
    enrolled(other)
    user = django_user_model.objects.create_user("plain", "p@example.org", PASSWORD)
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client = sign_in(user)
    assert client.post(f"/admin/users/{other.pk}/two-factor/reset/").status_code in (302, 403)
    assert TOTPDevice.objects.filter(user=other).exists()


def test_the_management_command_resets_a_users_devices(superuser, capsys):
    from django.core.management import call_command

    enrolled(superuser)
    call_command("reset_two_factor", "chief")
    assert "Two-factor authentication of chief reset" in capsys.readouterr().out
    assert not TOTPDevice.objects.filter(user=superuser).exists()


def test_no_key_or_code_reaches_the_logs(superuser, sign_in, caplog):
    caplog.set_level("DEBUG")
    client = sign_in(superuser)
    device, codes, _answer = enrol(client)
    client.logout()
    sign_in(superuser).post("/admin/two-factor/", {"code": "654321"})
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert device.key not in logged and not any(code in logged for code in codes)
    assert re.search(r"Second factor set up by user \d+", logged)
