"""Demo content built from the newsletter issue in ../shared/seed (see load_demo)."""
