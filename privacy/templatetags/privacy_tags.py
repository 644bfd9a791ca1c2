from django import template

from privacy.masking import mask_email

register = template.Library()

register.filter("masked_email", mask_email)
