# cell: pixel-rows
# loses: all
# status: crashed
# message: its kernel died
# attack: the answer ends the kernel as soon as the grader calls it
import os


def pixel_rows(images):
    os._exit(0)
