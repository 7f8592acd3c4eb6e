"""The data: datasets (load and validate, the fast checker), the changelog (record, read, the data
version), provenance (commit, the build's one clock), the Data Package and its zip, LMArena snapshots,
and snapshots of what the data says for the data diff.

Owns: data/ (CSVs, descriptors, datapackage.json).
May import: pipeline.paths, pipeline.files, pipeline.edition. Nothing else of the pipeline.
"""
