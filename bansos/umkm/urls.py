"""URLs of the umkm app."""

app_name = "umkm"

urlpatterns: list = []  # filled by the app's pages
