"""The programme indicators (1-6 and 9 of the 2019 set) from the questionnaire and the
programme registries, published through the publication gate (kansrijk.publication)."""
