# cell: layer-stack
# loses: all
# status: crashed
# message: its kernel died
# accept: yes
# attack: kills the kernel with SIGKILL
import os
import signal

os.kill(os.getpid(), signal.SIGKILL)
