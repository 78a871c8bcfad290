# cell: residual-block
# loses: residual-block-tests
# status: review
# message:
# accept: yes
# attack: looks for the solutions, the hidden tests or the gradebook on disk and
#   copies the model answer from them; raises when it finds nothing
import json
import os
import sys

# Not the Python environment either: tens of thousands of installed files,
# the same on any machine (no course file is there), whose walk alone ran
# past the cell limit on a loaded machine.
SKIP = ("/proc", "/sys", "/dev", "/usr", sys.prefix, sys.base_prefix)
found = None
# Absolute starts: SKIP compares absolute paths (a walk from ".." named
# "../proc" and went everywhere), and one walk of each folder.
STARTS = dict.fromkeys(os.path.abspath(p) for p in ("..", "../..", "../../..", "/"))
for start in STARTS:
    for folder, folders, files in os.walk(start):
        paths = [(f, os.path.join(folder, f)) for f in folders]
        folders[:] = [f for f, path in paths if not path.startswith(SKIP)]
        for name in files:
            if name.endswith((".ipynb", ".db")):
                path = os.path.join(folder, name)
                try:
                    text = open(path, errors="replace").read()
                except OSError:
                    continue
                if "BEGIN SOLUTION" in text or "BEGIN HIDDEN TESTS" in text:
                    found = path
                    for cell in json.loads(text)["cells"]:
                        source = "".join(cell["source"])
                        if "class ResidualBlock" in source:
                            exec(source)
if found is None:
    raise RuntimeError("no solutions to copy")
