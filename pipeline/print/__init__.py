"""The print edition: the PDF (pdf.py), the essay's HTML made for paper (paper.py: links and
footnotes to numbered notes, the one HTML rewrite kept) and the layout decisions CSS cannot make
(layout.py: where figures go, which tables stay whole). `python -m pipeline.print` writes it alone.

Owns: print/ (template, stylesheet), build/the-future-of-open-models.pdf.
May import: pipeline.essay (the renderer and its record), pipeline.data, pipeline.paths/files/edition.
Never imports pipeline.site: the PDF does not depend on the site generator.
"""
