"""App configs for the project package: site-wide commands, and the staff admin site."""

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class RecoverySiteConfig(AppConfig):
    """Site-wide templates tags, middleware and management commands."""

    default = True
    name = "recovery_site"
    verbose_name = "Site"

    def ready(self):
        from recovery_site import checks  # noqa: F401  (registers the deployment checks)


class ClinicAdminConfig(admin_apps.AdminConfig):
    """Django's admin, served by our site with two-factor sign-in."""

    default = False  # named explicitly in INSTALLED_APPS
    default_site = "recovery_site.admin.ClinicAdminSite"
