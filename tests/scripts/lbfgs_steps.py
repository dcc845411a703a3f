"""LBFGS fitting a line, printing the lr its closure runs under: one optimizer step() calls the
closure several times. `lbfgs_steps.py STEPS`."""

import sys

import torch

torch.manual_seed(0)
x = torch.rand(64, 1)
y = 3 * x + 0.8
model = torch.nn.Linear(1, 1)
optimizer = torch.optim.LBFGS(model.parameters(), lr=1.0, max_iter=4)


def closure() -> torch.Tensor:
    optimizer.zero_grad()
    loss = ((model(x) - y) ** 2).mean()
    loss.backward()
    print(f"closure lr {optimizer.param_groups[0]['lr']:g}", flush=True)
    return loss


for step in range(1, int(sys.argv[1]) + 1):
    optimizer.step(closure)
    print(f"step {step} done", flush=True)
