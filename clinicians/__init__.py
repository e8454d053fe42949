"""Clinicians: profiles, credentials and their verification, linked social media accounts."""
