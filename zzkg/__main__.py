import sys

from zzkg.cli import main

sys.exit(main())
