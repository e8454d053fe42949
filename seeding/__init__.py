"""Seed data, not runtime code: the demo data set (``demo``) and the bench-scale generator (``bulk``),
with their ``seed_demo`` and ``demo_totp_code`` commands. The top layer: it may use every app."""
