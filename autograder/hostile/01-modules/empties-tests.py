# cell: make-mlp
# loses: all
# status: tampered
# message: Code in the notebook made tests pass that must fail
# accept: yes
# attack: an IPython input transformer that turns every later test cell into
#   `pass`, so no test can fail
def _skip_tests(lines):
    if any("nncourse.checks" in line for line in lines):
        return ["pass\n"]
    return lines


get_ipython().input_transformers_cleanup.append(_skip_tests)  # noqa: F821


def make_mlp(sizes):
    return None
