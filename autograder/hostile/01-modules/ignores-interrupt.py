# cell: to-device
# loses: all
# status: timeout
# message: The notebook ran longer than
# accept: yes
# attack: a loop that ignores the interrupt the grader sends at the cell limit
import signal

signal.signal(signal.SIGINT, signal.SIG_IGN)
while True:
    pass
