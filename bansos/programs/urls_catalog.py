"""URLs: catalog pages (see views_catalog)."""

urlpatterns: list = []
