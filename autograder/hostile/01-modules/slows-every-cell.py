# cell: residual-block
# loses: all
# status: timeout
# message: The notebook ran longer than
# accept: yes
# attack: the model answer, and every later cell first sleeps for half the
#   cell limit: no cell reaches its limit, the notebook runs past its own
import time


class ResidualBlock(nn.Module):
    def __init__(self, in_features, hidden_features, out_features):
        super().__init__()
        self.hidden = nn.Linear(in_features, hidden_features)
        self.activation = nn.ReLU()
        self.output = nn.Linear(hidden_features, out_features)
        if in_features == out_features:
            self.shortcut = nn.Identity()
        else:
            self.shortcut = nn.Linear(in_features, out_features, bias=False)

    def forward(self, X):
        return self.output(self.activation(self.hidden(X))) + self.shortcut(X)


get_ipython().events.register("pre_run_cell", lambda *args: time.sleep(10))
