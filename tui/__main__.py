import sys

from mlsd.tui.cli import main

sys.exit(main())
