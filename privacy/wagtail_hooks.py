from django.contrib.auth.models import Permission
from wagtail import hooks


@hooks.register("register_permissions")
def register_personal_data_permission():
    # Offered in Settings → Groups; given to no group by default.
    return Permission.objects.filter(
        content_type__app_label="privacy", codename="manage_personal_data"
    )
