# cell: layer-stack
# loses: all
# status: crashed
# message: its kernel died
# attack: ends the kernel's process
import os

os._exit(0)
