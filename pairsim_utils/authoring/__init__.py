"""Tools that build the shipped concept pairs from their authored source (``make data``).

Not needed to run the course: the notebooks read the built CSVs. :mod:`~pairsim_utils.authoring.source`
holds the authored pairs, the recipe and their rules; :mod:`~pairsim_utils.authoring.selection` chooses
each split's pairs; :mod:`~pairsim_utils.authoring.build` checks targets and writes the files.
"""
