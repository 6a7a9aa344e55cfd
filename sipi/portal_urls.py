# Owner accounts and the owner portal (owner-portal work).
urlpatterns: list = []
