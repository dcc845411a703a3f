"""Training loops of the shapes that trip a watch up, one per mode, each printing what it did:
`quirks.py MODE`, MODE one of escapes, folds, hogwild, amp, run_lr, schedule."""

import multiprocessing
import sys
import time

import torch

from gdtui.watch import watch

torch.manual_seed(0)
x = torch.rand(64, 1)
y = 3 * x + 0.8
mode = sys.argv[1]


def sgd_steps(model: torch.nn.Module, optimizer: torch.optim.Optimizer, steps: int) -> float:
    for _ in range(steps):
        optimizer.zero_grad()
        loss = ((model(x) - y) ** 2).mean()
        loss.backward()
        optimizer.step()
    return loss.item()


if mode == "escapes":  # a script that colours its output and clears the screen
    model = torch.nn.Linear(1, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    for step in range(1, 100_000):
        print(f"\x1b[2J\x1b[3;10H\x1b[31mHIJACKED\x1b[0m step {step}", flush=True)
        sgd_steps(model, optimizer, 1)
        time.sleep(0.01)
elif mode == "folds":  # a new model and optimizer per fold
    for fold in range(3):
        model = torch.nn.Linear(1, 1)
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        print(f"fold {fold} loss {sgd_steps(model, optimizer, 20):.4f}", flush=True)
elif mode == "hogwild":  # workers forked to train a shared model, the main process waiting for them
    model = torch.nn.Linear(1, 1)
    model.share_memory()
    sgd_steps(model, torch.optim.SGD(model.parameters(), lr=0.1), 1)
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=sgd_steps, args=(model, torch.optim.SGD(model.parameters(), lr=0.1), 50)) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    print(f"workers done, exit codes {[worker.exitcode for worker in workers]}", flush=True)
elif mode == "amp":  # mixed precision's loss scaling, on the CPU
    model = torch.nn.Linear(1, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    scaler = torch.amp.GradScaler("cpu", init_scale=65536.0)
    for step in range(1, 31):
        optimizer.zero_grad()
        loss = ((model(x) - y) ** 2).mean()
        scaler.scale(loss).backward()
        scaler.step(optimizer)
        scaler.update()
        print(f"step {step} loss {loss.item():.6f}", flush=True)
elif mode == "run_lr":  # an update by hand, with the lr gdtui steers
    w = torch.zeros(1, requires_grad=True)
    with watch(lr=0.01) as run:
        for step in range(1, 100_000):
            loss = ((x * w - y) ** 2).mean()
            loss.backward()
            with torch.no_grad():
                assert w.grad is not None
                w -= run.lr * w.grad
                w.grad.zero_()
            print(f"step {step} lr {run.lr:g}", flush=True)
            time.sleep(0.01)
elif mode == "schedule":  # an lr that changes at every step
    model = torch.nn.Linear(1, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda step: 1 / (1 + step))
    for _ in range(2000):
        sgd_steps(model, optimizer, 1)
        schedule.step()
    print("done", flush=True)
