# Public IKM directory and region pages (public-catalog work).
from django.urls import path, re_path

from . import views

urlpatterns = [
    path("ikm/", views.unit_list, name="unit_list"),
    path("ikm/<slug:slug>/", views.unit_detail, name="unit_detail"),
    path("wilayah/", views.region_index, name="region_index"),
    re_path(
        r"^wilayah/(?P<code>[0-9]{2}(?:\.[0-9]{2}){0,2}(?:\.[0-9]{4})?)/$",
        views.region_detail,
        name="region_detail",
    ),
]
