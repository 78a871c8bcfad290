# cell: to-device
# loses: to-device-tests
# status: timeout
# message: went on after it was interrupted, so its kernel was stopped
# accept: yes
# attack: a loop that ignores the interrupt the grader sends at the cell limit
import signal

signal.signal(signal.SIGINT, signal.SIG_IGN)
while True:
    pass
