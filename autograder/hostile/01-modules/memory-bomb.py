# cell: two-layer-net
# loses: two-layer-net-tests
# status: ok | timeout
# message: Cell two-layer-net ran out of memory | ran longer than the limit
# attack: allocates memory until none is left
# (the kernel zeroes every page it hands out: gigabytes can take the machine
# longer than the 20-second cell limit when it is busy; either way the cell
# loses its points, nothing else)
blocks = []
while True:
    blocks.append(bytearray(256 * 2**20))
