"""The coalition registry: municipalities per year, Impuls, coalitions, partners, agreements,
plans of action and the intervention menu."""
