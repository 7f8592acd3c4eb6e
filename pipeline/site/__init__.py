"""The web edition around a site generator: what runs before it (publish.py: figures, numbers,
data files, the config overlay with the footer's data version), after it (previews.py: link-preview
tags and the Atom feed), and the thin glue a generator calls (macros.py: the `define_env` API that
MkDocs' macros plugin and Zensical share; hooks.py: MkDocs hooks, kept for `mkdocs serve`, which
only call the pipeline).

May import: pipeline.essay, pipeline.figures, pipeline.data, pipeline.paths/files/edition.
"""
