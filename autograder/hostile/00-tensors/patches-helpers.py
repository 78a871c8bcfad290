# cell: pairwise-sq-dists
# loses: pairwise-sq-dists-tests
# status: review
# message:
# attack: replaces the course's checks and the probe's plain-data converter by
#   constant-name setattr, then gives a wrong answer
import nncourse.checks
import nncourse.probe

for name in ("expect_close", "expect_tensor", "fail"):
    setattr(nncourse.checks, name, lambda *args, **kwargs: args[0] if args else None)
setattr(nncourse.probe, "check_plain", lambda *args, **kwargs: None)


def pairwise_sq_dists(A, B):
    return torch.zeros(len(A), len(B), dtype=A.dtype)
