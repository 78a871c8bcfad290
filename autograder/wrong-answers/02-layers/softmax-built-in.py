# cell: softmax
# loses: softmax-tests
# mistake: calls torch's softmax instead of writing it
def softmax(logits, dim):
    return logits.softmax(dim=dim)
