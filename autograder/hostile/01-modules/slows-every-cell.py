# cell: residual-block
# loses: all
# status: timeout
# message: The notebook ran longer than
# accept: yes
# attack: every later cell first sleeps for half the cell limit: no cell
#   reaches its limit, the notebook runs past its own (and is not graded,
#   so no answer is needed here)
import time

get_ipython().events.register("pre_run_cell", lambda *args: time.sleep(10))
