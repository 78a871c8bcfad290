"""nbgrader configuration of the course.

Found by ``JUPYTER_CONFIG_PATH=<repo>/autograder`` (what ``make lab`` and the
``nncourse`` commands set) or ``--NbGrader.config_file=autograder/nbgrader_config``.
"""

import os
from pathlib import Path

c = get_config()  # traitlets injects get_config

repo = Path(__file__).resolve().parent.parent

c.CourseDirectory.root = str(repo)
c.CourseDirectory.course_id = "nncourse"
# solutions/NN-topic/NN-topic.ipynb is the one hand-edited source of a chapter;
# its student release goes to notebooks/NN-topic/NN-topic.ipynb.
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "notebooks"
c.CourseDirectory.submitted_directory = "autograder/submitted"
c.CourseDirectory.autograded_directory = "autograder/autograded"
c.CourseDirectory.feedback_directory = "autograder/feedback"
# SQLite next to this file unless NNCOURSE_DB_URL names another database,
# e.g. postgresql+psycopg://user@host:5432/gradebook
c.CourseDirectory.db_url = os.environ.get(
    "NNCOURSE_DB_URL", f"sqlite:///{repo / 'autograder' / 'gradebook.db'}"
)

c.ClearSolutions.code_stub = {
    "python": "# YOUR CODE HERE\nraise NotImplementedError()",
}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
# Training cells shrink under grading (NBGRADER_EXECUTION is set), but give
# every cell a generous limit on a slow laptop.
c.ExecutePreprocessor.timeout = 120

# Exercises with a spec in autograder/specs/ are judged outside the student's
# kernel: their test cells become probes of the student's code on inputs drawn
# for this run, and the grader compares the results with the solution's
# (nncourse.preprocessors.probes). nbgrader's own steps stay as they are.
from nbgrader.converters import Autograde  # noqa: E402
from nbgrader.preprocessors import Execute  # noqa: E402

from nncourse.pipeline import inserted, nbgrader_steps  # noqa: E402

c.Autograde.autograde_preprocessors = inserted(
    nbgrader_steps(Autograde, "autograde_preprocessors"),
    Execute,
    before=["nncourse.preprocessors.probes.InsertProbes"],
    after=["nncourse.preprocessors.probes.JudgeProbes"],
)
c.Probes.specs_folder = str(repo / "autograder" / "specs")  # both steps

# Late work (nncourse.late): nbgrader's AssignLatePenalties asks the course's
# policy what lateness costs. A chapter without a deadline is never late, so
# the policy does nothing until deadlines are set, for example:
#   c.LatePolicy.deadlines = {"01-modules": "2027-01-25T23:59:00+01:00"}
#   c.LatePolicy.grace_minutes = 15
#   c.LatePolicy.penalty_per_day = 0.1      # or a curve:
#   c.LatePolicy.curve = [[1, 0.1], [3, 0.3], [7, 1.0]]  # days late -> share
#   c.LatePolicy.cap = 0.5
#   c.LatePolicy.extensions = {"doejane_12345": {"01-modules": 2}}  # days
c.AssignLatePenalties.plugin_class = "nncourse.late.LatePolicy"
