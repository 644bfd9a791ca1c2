"""What a copy of someone's data (GDPR article 15) is made of."""


def model_fields(instance, exclude=()):
    """A row's stored values, by column, for an export."""
    return {
        field.attname: getattr(instance, field.attname)
        for field in instance._meta.concrete_fields
        if field.attname not in exclude
    }
