# cell: two-layer-net
# loses: two-layer-net-tests
# status: ok | timeout
# message: Cell two-layer-net started too many processes or threads | Cell two-layer-net ran longer than the limit
# attack: forks until no process is left
import os

while True:
    os.fork()
