"""The yearly municipal questionnaire: versioned question sets, responses, reminders."""
