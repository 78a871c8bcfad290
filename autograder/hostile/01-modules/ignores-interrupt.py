# cell: to-device
# loses: to-device-tests
# status: timeout
# message: went on after it was interrupted, so its kernel was stopped
# accept: yes
# attack: a loop that ignores the interrupt the grader sends at the cell limit
#   (asleep: infinite-loop spins, and the grader's answer is the same)
import signal
import time

signal.signal(signal.SIGINT, signal.SIG_IGN)
while True:
    time.sleep(0.1)
