"""Kept for task rows queued before the page cache became an app of its own: they
name the purge task by this path (pagecache/cdn.py holds it now)."""

from pagecache.cdn import purge_site

__all__ = ["purge_site"]
