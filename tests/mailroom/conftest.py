from tests.newsletter.test_process_mail import maildir, world  # noqa: F401
