"""The request forms."""

from django.urls import path

from intake import views
from intake.models import HelpRequest

app_name = "intake"

urlpatterns = [
    path("contact/", views.ContactView.as_view(), name="contact"),
    path(
        "contact/thanks/",
        views.ThanksView.as_view(kind=HelpRequest.Kind.MESSAGE),
        name="contact_thanks",
    ),
    path("consultation/", views.ConsultationView.as_view(), name="consultation"),
    path(
        "consultation/thanks/",
        views.ThanksView.as_view(kind=HelpRequest.Kind.CONSULTATION),
        name="consultation_thanks",
    ),
]
