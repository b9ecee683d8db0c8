"""URLs of the jobs app."""

app_name = "jobs"

urlpatterns: list = []  # filled by the app's pages
