"""Experiences and learning (issue 19): study rounds, pseudonymised transcripts, coding."""
