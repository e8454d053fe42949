"""Campaigns, participation and activities (the social media posts clinicians log)."""
