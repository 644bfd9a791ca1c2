"""What the apps that hold personal data share: the suppression list (hashes of
addresses erased on request or opted out, which no bulk or staff-sent mail reaches
again), personal links that carry no personal data (`links.py`) and the masked
address their pages show (`masking.py`), the permission to find, export and erase
one person's data (on the suppression list's model), and the base of the daily purge
commands. It imports no other app of the project; finding, exporting and erasing one
person's data everywhere is the personal_data app, on top of all the features."""
