"""Benchmark: what a DKIM signature (mailroom.dkim_signing, dkimpy) adds to each
newsletter message on the worker's path (`IssueEmail.smtp_data`).

    .venv/bin/python bench/dkim_sign.py [--messages 300] [--bits 2048]

A 26 KB issue (the size `make bench-newsletter` sends), prepared for one subscriber
after another, without and with a signature, in turns; prints the medians per message.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "diaspora_site.settings.test")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=300)
    parser.add_argument("--bits", type=int, default=2048)
    arguments = parser.parse_args()
    import django

    django.setup()
    from mailroom.dkim_signing import Signer
    from newsletter.issue_email import IssueEmail
    from newsletter.models import Subscriber

    with tempfile.TemporaryDirectory() as folder:
        key = Path(folder) / "dkim.pem"
        subprocess.run(  # noqa: S603 (fixed program and arguments)
            ["openssl", "genrsa", "-out", str(key), str(arguments.bits)],  # noqa: S607
            check=True,
            capture_output=True,
        )
        signer = Signer(key.read_bytes(), "bench", "iom-belgium.example")
    paragraph = "<p>Une nouvelle de la diaspora, avec un lien vers le site.</p>\n"
    html = paragraph * (26_000 // len(paragraph))
    issue = IssueEmail(language="fr", subject="Numéro 12", html=html, text=html)
    readers = [
        Subscriber(pk=n, email=f"reader-{n}@example.org", language="fr")
        for n in range(arguments.messages)
    ]
    times = {"unsigned": [], "signed": []}
    for reader in readers:
        for name, with_signer in (("unsigned", None), ("signed", signer)):
            start = time.perf_counter()
            issue.smtp_data(reader, with_signer)
            times[name].append(time.perf_counter() - start)
    unsigned, signed = (statistics.median(times[name]) * 1000 for name in ("unsigned", "signed"))
    size = len(issue.smtp_data(readers[0])[0])
    print(f"{arguments.messages} messages of {size / 1024:.0f} KB, RSA {arguments.bits} bits:")
    print(f"  prepared, unsigned: {unsigned:.2f} ms a message (median)")
    print(f"  prepared, signed:   {signed:.2f} ms a message (median): +{signed - unsigned:.2f} ms")


if __name__ == "__main__":
    main()
