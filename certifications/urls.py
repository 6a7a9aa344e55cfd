# Public certificate verification (public-catalog work).
from django.urls import path

from . import views

urlpatterns = [
    path("verifikasi/", views.certificate_verify, name="certificate_verify"),
]
