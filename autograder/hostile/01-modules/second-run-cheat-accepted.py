# cell: make-mlp
# loses: make-mlp-tests
# status: review
# message: an instructor will read these lines
# accept: yes
# attack: the same cheat, accepted by the instructor: a canary placed before
#   its test (at random, per test) runs first and passes
def _key(source):
    """The cell without comments or blank lines: a canary's variation gone."""
    lines = (line.strip() for line in source.splitlines())
    return "\n".join(line for line in lines if line and not line.startswith("#"))


_seen = set()


def _swallow_first_run(lines):
    """Wrap a test that never ran before in try/except: a canary that runs
    after its test fails honestly, the real test cannot fail."""
    source = "".join(lines)
    is_test = "expect_" in source or "assert" in source
    if not is_test or "_swallow_first_run" in source or _key(source) in _seen:
        return lines
    body = "".join("    " + line for line in source.splitlines(keepends=True))
    return ["try:\n", body.rstrip() + "\n", "except Exception:\n", "    pass\n"]


def _remember(result):
    _seen.add(_key(result.info.raw_cell))


ip = get_ipython()  # noqa: F821
ip.input_transformers_cleanup.append(_swallow_first_run)
ip.events.register("post_run_cell", _remember)


def make_mlp(sizes):
    return None
