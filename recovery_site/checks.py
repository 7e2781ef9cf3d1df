"""Deployment checks of our own, run by `manage.py check --deploy`."""

from django.conf import settings
from django.core.checks import Warning, register


@register(deploy=True)
def proxy_addresses_configured(app_configs, **kwargs):
    if settings.BEHIND_TLS_PROXY and not settings.TRUSTED_PROXIES:
        return [
            Warning(
                "BEHIND_TLS_PROXY is on but TRUSTED_PROXIES is empty: every visitor is "
                "counted as the proxy's address, so they all share one submission limit, "
                "and X-Forwarded-Proto is believed from anyone who reaches the app.",
                hint="Set TRUSTED_PROXIES to the address of the nginx in front of gunicorn "
                "(compose.yaml does).",
                id="recovery_site.W001",
            )
        ]
    return []


@register(deploy=True)
def clinic_licences_set(app_configs, **kwargs):
    # The shipped lines are samples; a live About page must state the clinic's own.
    if settings.CLINIC["licences"] == settings.SAMPLE_LICENCES:
        return [
            Warning(
                "CLINIC_LICENCES is not set: the About page shows sample licence and "
                "accreditation lines.",
                hint='Set CLINIC_LICENCES to the clinic\'s own lines, separated by "|".',
                id="recovery_site.W002",
            )
        ]
    return []
