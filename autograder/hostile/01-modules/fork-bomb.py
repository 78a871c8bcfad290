# cell: residual-block
# loses: residual-block-tests
# status: ok | timeout
# message: started too many processes or threads | ran longer than the limit
# attack: forks until no process is left
# may-stop: yes
import os

while True:
    os.fork()
