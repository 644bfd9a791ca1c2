"""The answers public views give after a POST: a short message page in the
visitor's language, and a 303 redirect."""

from django.shortcuts import redirect, render
from django.utils import translation


def see_other(to, *args):
    """A 303 redirect after a POST was taken: reloading the answer does not post again."""
    response = redirect(to, *args)
    response.status_code = 303
    return response


def message_page(request, title, text, *, status=200, language=None, link=None):
    """A short page telling the visitor what happened; `link`, a (URL, label) pair,
    is the way on that the text speaks of (e.g. "subscribe again")."""
    context = {"title": title, "text": text, "link": link}
    if language:
        with translation.override(language):
            return render(request, "pages/message.html", context, status=status)
    return render(request, "pages/message.html", context, status=status)
