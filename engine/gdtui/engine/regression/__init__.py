"""Several inputs: y = X w + b, its least-squares reference and statistics, and gradient descent on it."""
