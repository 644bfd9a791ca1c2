"""The translators' side of the site: roles limited to one language, the status
board of what is translated, and two clearly named workarounds for wagtail-localize
(per-locale permission guards, PO upload checks). See docs/translator-roles.md and
docs/translation-status.md."""
