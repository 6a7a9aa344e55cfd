# Public IKM directory and region pages (public-catalog work).
urlpatterns: list = []
