"""The site's URL map: each app brings its own namespaced urls.py."""

from django.contrib import admin
from django.urls import include, path

from recovery_site import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("", include("education.urls")),
]
