"""The publishing pipeline: data -> figures and numbers -> essay site and PDF.

Plain Python that any site generator can call; MkDocs only sees it through
`pipeline.macros` (templating) and `pipeline.hooks` (redraw on save).
"""
