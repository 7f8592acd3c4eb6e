"""One module per figure; the module name is the figure's id everywhere. See pipeline/figures/registry.py (the contract)."""
