"""Participation: forums, feedback, usul/sanggah (nominations and objections), youth proposals."""
