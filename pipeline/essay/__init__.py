"""The essay: the renderer for site and print (render.py: numbers, figures, quotations, claims,
recorded as they are rendered), claims that check themselves (claims.py) and the generated pages
(pages.py: Sources, Data), with their HTML templates.

Owns: pipeline/essay/templates/, data/claims.yaml (read).
May import: pipeline.figures, pipeline.data, pipeline.paths/files/edition. Never pipeline.site or
pipeline.print: both use the essay, the essay uses neither.
"""
