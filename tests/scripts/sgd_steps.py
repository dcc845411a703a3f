"""A small training loop that prints what its optimizer used at every step, for the tests of
`gdtui run`: `sgd_steps.py STEPS [--crash-at N] [--manual]`."""

import argparse
import time
from typing import Any

import torch

parser = argparse.ArgumentParser()
parser.add_argument("steps", type=int)
parser.add_argument("--crash-at", type=int, default=0)
parser.add_argument("--nan-at", type=int, default=0, help="the loss of this step is nan")
parser.add_argument("--manual", action="store_true", help="update by hand, w -= 0.1 * w.grad, no optimizer")
parser.add_argument("--lr", type=float, default=0.1)
parser.add_argument("--groups", action="store_true", help="two param groups: weight at lr 0.1, bias at lr 0.01")
parser.add_argument("--sleep", type=float, default=0.0, help="seconds each step takes besides its work")
args = parser.parse_args()

torch.manual_seed(0)
x = torch.rand(64, 1)
y = 3 * x + 0.8
model = torch.nn.Linear(1, 1)
if args.manual:
    optimizer = None
elif args.groups:
    groups: list[dict[str, Any]] = [{"params": [model.weight]}, {"params": [model.bias], "lr": 0.01}]
    optimizer = torch.optim.SGD(groups, lr=0.1)
else:
    optimizer = torch.optim.SGD(model.parameters(), lr=args.lr)
try:
    for step in range(1, args.steps + 1):
        if step == args.crash_at:
            raise RuntimeError(f"crashed on purpose at step {step}")
        loss = ((model(x) - y) ** 2).mean()
        if step == args.nan_at:
            loss = loss * float("nan")
        if optimizer is None:
            model.zero_grad()
            loss.backward()
            before = model.weight.item()
            with torch.no_grad():
                for param in model.parameters():
                    assert param.grad is not None
                    param.sub_(0.1 * param.grad)
            grad = model.weight.grad
            assert grad is not None
            print(f"step {step} grad {grad.item():.6f} moved {before - model.weight.item():.6f}", flush=True)
        else:
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            lrs = "/".join(f"{group['lr']:g}" for group in optimizer.param_groups)
            print(f"step {step} lr {lrs} loss {loss.item():.6f}", flush=True)
        time.sleep(args.sleep)
except KeyboardInterrupt:
    print("interrupted", flush=True)
    raise
print("done", flush=True)
