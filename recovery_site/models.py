"""What each member of staff chooses for themselves."""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db import models
from django.dispatch import receiver

# The person's admin language, copied into their session as they sign in, so that no
# admin page asks the database for it (recovery_site/middleware.py reads it).
ADMIN_LANGUAGE_SESSION_KEY = "admin_language"


class StaffPreferences(models.Model):
    """A member of staff's own choices for the admin, made on their passkeys page.

    The language of the admin is theirs alone: everyone else's admin, and every visitor's
    page, keeps the language its address gives (recovery_site/middleware.py).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_preferences"
    )
    admin_language = models.CharField(
        "language of the admin", max_length=8, choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )  # fmt: skip

    class Meta:
        verbose_name_plural = "staff preferences"

    def __str__(self):
        return f"{self.user}: {self.get_admin_language_display()}"


@receiver(user_logged_in, dispatch_uid="staff_preferences_admin_language")
def _admin_language_into_session(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    language = (
        StaffPreferences.objects.filter(user=user).values_list("admin_language", flat=True).first()
    )
    request.session[ADMIN_LANGUAGE_SESSION_KEY] = language or settings.LANGUAGE_CODE
