"""nbgrader's exchange on the course's JupyterHub, for students and instructor.

Students' servers read this file alone (the hub's spawner puts this folder on
their JUPYTER_CONFIG_PATH, behind ``student-lab/``); the instructor reads it
beside the course's own ``autograder/nbgrader_config.py``:

    export JUPYTER_CONFIG_PATH=$PWD/autograder:$PWD/autograder/hub

NNCOURSE_EXCHANGE: the exchange folder, which every user can write (nbgrader's
default otherwise). tests/test_hub.py uses this very file.
"""

import os

c = get_config()  # traitlets injects get_config

c.Exchange.root = os.environ.get(
    "NNCOURSE_EXCHANGE", "/usr/local/share/nbgrader/exchange"
)
# The course's id, as in autograder/nbgrader_config.py.
c.CourseDirectory.course_id = "nncourse"

# nbgrader names a submission by the OS user, except for "jovyan" (the Docker
# stacks' user), whom it names by JUPYTERHUB_USER. Where every student's server
# runs as one OS user (JupyterHub's SimpleLocalProcessSpawner, or any spawner
# whose servers share one), every submission would carry that one name: name
# it by the hub's user instead. The instructor's commands, outside the hub,
# keep nbgrader's default (every student).
if os.environ.get("JUPYTERHUB_USER"):
    c.CourseDirectory.student_id = os.environ["JUPYTERHUB_USER"]

# Validate runs the whole notebook; give every cell the course's limit
# (autograder/nbgrader_config.py), not nbgrader's 30 seconds.
c.ExecutePreprocessor.timeout = 120
