"""Referral, signal and route pages. Every page with client data goes through ``@care_view``
(``care.guard``), like every care page; the route pages hold no client data."""
