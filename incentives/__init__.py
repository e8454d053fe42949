"""Incentives: point rules, the append-only ledger, scores, leaderboards, badges and rewards."""
