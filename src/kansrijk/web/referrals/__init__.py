"""Referrals between organisations, signals (screenings) that propose a client route, the
coalition's local route variants and the process indicators; see docs/care.md."""
