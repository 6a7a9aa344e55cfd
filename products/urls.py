# Public product catalog and search (public-catalog work).
urlpatterns: list = []
