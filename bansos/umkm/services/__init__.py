"""Every write of the umkm app: businesses, capital and repayments, equipment, mentoring, revenue."""
