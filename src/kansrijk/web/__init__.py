"""The coalition platform: a Django project whose apps call the framework-free core.

Apps: ``accounts`` (organisations, users, roles, two-factor login), ``coalitions`` (the
coalition registry: municipalities, Impuls, coalitions, partners, agreements, plans,
interventions), ``survey`` (the yearly municipal questionnaire) and ``programme`` (the
programme indicators, published through ``kansrijk.publication``).
"""
