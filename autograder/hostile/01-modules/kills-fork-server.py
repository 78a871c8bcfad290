# cell: layer-stack
# loses: all
# status: crashed
# message: its kernel died
# accept: yes
# attack: kills the sandbox's fork server, the kernel's parent, with SIGKILL
import os
import signal

os.kill(os.getppid(), signal.SIGKILL)
