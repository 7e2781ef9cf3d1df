"""Public pages a visitor reads."""

from django.views.generic import TemplateView


class HomeView(TemplateView):
    """The front door: who we help, how, and how to reach us."""

    template_name = "education/home.html"
