"""The figures: the contract and registry (registry.py), the incremental build and its manifest
(build.py), what a reader would miss in a drawing (legibility.py), the numbers the prose cites
(numbers.py), one number format (formatting.py) and the house style (style.py).

Owns: docs/figures/, build/cache/figures.json (the manifest), build/numbers.json.
May import: pipeline.data, pipeline.paths/files/edition, and the figure modules in charts/ (which
import from here, never the other way round except through the registry).
"""
