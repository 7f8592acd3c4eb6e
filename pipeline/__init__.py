"""The publishing pipeline: data -> figures and numbers -> essay -> site and PDF.

Plain Python that any site generator can call, in sub-packages that follow the data (each one's
__init__ says what it owns and may import):

    data/     datasets, validation, changelog, provenance, the Data Package
    figures/  the figure contract and registry, the incremental build, numbers, house style
    essay/    the renderer for site and print (and its record), claims, generated pages
    print/    the PDF and its layout
    site/     before and after the site generator (MkDocs or Zensical), link previews and feed

Dependencies run one way: site and print use essay, essay uses figures and data, figures use data.
`build.py` (the atomic full build), `check.py` (the fast check) and `refresh.py` (new leaderboard
snapshots) are the commands on top; `paths.py`, `files.py` and `edition.py` are shared by all.
"""
