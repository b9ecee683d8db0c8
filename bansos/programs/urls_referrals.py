"""URLs: referrals pages (see views_referrals)."""

urlpatterns: list = []
