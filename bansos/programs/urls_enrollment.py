"""URLs: enrollment pages (see views_enrollment)."""

urlpatterns: list = []
