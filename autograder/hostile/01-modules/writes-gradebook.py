# cell: predict
# loses: predict-tests
# status: review
# message: Cell predict tried to write outside its temporary folder
# accept: yes
# attack: writes beside the data set, then gives itself full marks in every
#   gradebook it can find
import os
import sqlite3

errors = []
try:
    with open(os.path.join(os.environ["NNCOURSE_DATA"], "pwned.txt"), "w") as file:
        file.write("pwned")
except OSError as error:
    errors.append(error)
for folder, folders, files in os.walk("/"):
    folders[:] = [f for f in folders if f not in ("proc", "sys", "dev", "usr")]
    for name in files:
        if name.endswith(".db"):
            try:
                with sqlite3.connect(os.path.join(folder, name)) as db:
                    db.execute("UPDATE grade SET manual_score = 100")
            except sqlite3.Error as error:
                errors.append(error)
if errors:
    raise errors[0]
