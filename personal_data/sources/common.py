"""Helpers the sources share."""

import json

from django.db.models import Q


def model_fields(instance, exclude=()):
    """A row's stored values, for an export."""
    return {
        field.attname: getattr(instance, field.attname)
        for field in instance._meta.concrete_fields
        if field.attname not in exclude
    }


def text_mentions(field, email):
    """A filter for rows whose text column `field` (annotated) holds `email`. JSON
    columns may hold the address escaped (non-ASCII as \\uXXXX)."""
    escaped = json.dumps(email)[1:-1]
    condition = Q(**{f"{field}__icontains": email})
    if escaped != email:
        condition |= Q(**{f"{field}__icontains": escaped})
    return condition
