# Public certificate verification (public-catalog work).
urlpatterns: list = []
