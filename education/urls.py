"""Public reading pages."""

from django.urls import path

from education import views

app_name = "education"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("learn/", views.GuideListView.as_view(), name="guide_list"),
    path("learn/search/", views.GuideSearchView.as_view(), name="guide_search"),
    path("learn/<slug:slug>/", views.GuideDetailView.as_view(), name="guide_detail"),
    path("programs/", views.ProgramsView.as_view(), name="programs"),
    path("about/", views.AboutView.as_view(), name="about"),
    path("privacy/", views.PrivacyView.as_view(), name="privacy"),
]
