"""The print edition: the PDF (pdf.py), the essay's HTML made for paper (paper.py: links and
footnotes to numbered notes, the one HTML rewrite kept) and that HTML written as Typst (typeset.py).
`python -m pipeline.pdf` writes the PDF alone.

Owns: print/ (the Typst template and house style), build/the-future-of-open-models.pdf.
May import: pipeline.essay (the renderer and its record), pipeline.data, pipeline.paths/files/edition.
Never imports pipeline.site: the PDF does not depend on the site generator.
"""
