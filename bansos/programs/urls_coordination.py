"""URLs: coordination pages (see views_coordination)."""

urlpatterns: list = []
