"""Case conferences (casuistiekbespreking): the meeting, its agenda with the consent check,
minutes and decisions; see docs/care.md."""
