from wagtail import hooks

from discussion.rendering import render_discussion
from home.blocks import PAGE_APPENDIX_HOOK

hooks.register(PAGE_APPENDIX_HOOK, render_discussion)
