# cell: make-mlp
# loses:
# status: ok
# message:
# attack: shows scripts, event handlers and javascript: links in every kind of
#   output (HTML, Markdown, SVG, JavaScript, LaTeX), to run in the browser of
#   whoever opens the feedback page
from IPython.display import HTML, SVG, Javascript, Latex, Markdown, display

display(HTML("<script>window.pwned = 1</script><img src=x onerror='pwned()'>"))
display(HTML("<a href='javascript:pwned()'>x</a><iframe src='javascript:pwned()'>"))
display(Markdown("<script>pwned()</script> [y](javascript:pwned())"))
display(SVG("<svg xmlns='http://www.w3.org/2000/svg' onload='pwned()'/>"))
display(Javascript("pwned()"))
display(Latex("<script>pwned()</script>"))
display({"text/html": "<body onload='pwned()'>"}, raw=True)


from torch import nn  # noqa: E402


def make_mlp(sizes):
    layers = [nn.Flatten()]
    for i in range(len(sizes) - 1):
        if i > 0:
            layers.append(nn.ReLU())
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
    return nn.Sequential(*layers)
