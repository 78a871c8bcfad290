# cell: to-device
# loses: to-device-tests
# status: timeout
# message: Cell to-device ran longer than the limit
# attack: an answer that never returns
while True:
    pass
