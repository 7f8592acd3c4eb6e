import sys

from pipeline.print.pdf import main

sys.exit(main())
