"""The demo site, built from the real newsletter issue: `manage.py load_demo` makes
the English pages, snippets and images with stable identities and applies the French
and Dutch translations shipped as PO files; `ensure_admin` creates the local
administrator of `make run`. Only the apps that are installed get their part."""
