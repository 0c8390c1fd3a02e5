"""A synthetic Netherlands: births, parents and registries that satisfy the data contract.

Figures in the data come from simulated people: each parent carries a latent
vulnerability that drives income, debts, mental health care, medication,
detention, separation, moves and care use, and each child's outcomes depend on
its parents. Intercepts of these mechanisms are set so that national figures
match the published ones (``kansrijk.synth.targets``); ``kansrijk.synth.report``
measures them back from the written files.
"""

from kansrijk.synth.generate import SynthConfig, generate

__all__ = ["SynthConfig", "generate"]
