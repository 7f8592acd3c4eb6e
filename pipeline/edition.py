"""Facts about this edition of the essay, shared by the figures, the site and the PDF."""
from datetime import date

TITLE = "The Future of Open Models"
SUBTITLE = "Will open-weight AI follow Linux and PyTorch into the default layer, or do the closed labs keep their lead?"
# The argument was made as of this date. Data published after it is "later data" and is drawn and
# written about as such, never blended in silently.
ESSAY_DATE = date(2025, 11, 30)
ESSAY_DATE_TEXT = "November 2025"
AUTHOR_CREDIT = "The Future of Open Models project"
ORIGINAL_CREDIT = 'After Jasper Platz, "The Future of Open Models" (late 2025)'
SITE_URL = "https://open-models-essay.github.io/future-of-open-models/"
