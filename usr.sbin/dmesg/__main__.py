import sys

from usr_sbin.dmesg.dmesg import main

sys.exit(main())
