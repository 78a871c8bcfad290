# cell: residual-block
# loses: residual-block-tests
# status: ok | timeout
# message: Cell residual-block ran out of memory | ran longer than the limit
# attack: allocates memory until none is left
# (the kernel zeroes every page it hands out: gigabytes can take the machine
# longer than the 20-second cell limit when it is busy; either way the cell
# loses its points, nothing else)
blocks = []
while True:
    blocks.append(bytearray(256 * 2**20))
