# cell: residual-block
# loses: all
# status: crashed
# message: The notebook used more memory than the limit of 2 GB allows
# attack: fills shared memory (not counted as data) past the sandbox's memory
# needs: control-group
import mmap

shared = mmap.mmap(-1, 16 * 2**30, flags=mmap.MAP_SHARED)
for offset in range(0, 16 * 2**30, 4096):
    shared[offset] = 1
