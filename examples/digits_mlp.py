"""An MLP on scikit-learn's bundled 8x8 digits, trained with Adam and a step lr schedule: a
script of the usual shape to watch with `gdtui run examples/digits_mlp.py`.

It runs the same with plain `python` (gdtui.watch then does nothing). Options:
  --epochs N      passes over the training digits (default 30)
  --lr LR         Adam's starting lr (default 0.001; the schedule halves it every 10 epochs)
  --save FILE     save the model and optimizer state at the end (torch.save)
"""

import argparse

import torch
from sklearn.datasets import load_digits
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from gdtui.watch import watch

parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
parser.add_argument("--epochs", type=int, default=30)
parser.add_argument("--lr", type=float, default=1e-3)
parser.add_argument("--save", metavar="FILE")
args = parser.parse_args()

torch.manual_seed(0)
digits = load_digits()
x = torch.tensor(digits.data, dtype=torch.float32) / 16.0  # pixels 0..16
y = torch.tensor(digits.target)
order = torch.randperm(len(x))
train, valid = order[:1500], order[1500:]
loader = DataLoader(TensorDataset(x[train], y[train]), batch_size=32, shuffle=True)

model = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 10))
optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
schedule = torch.optim.lr_scheduler.StepLR(optimizer, step_size=10, gamma=0.5)
loss_of = nn.CrossEntropyLoss()

with watch(model, optimizer) as run:
    for epoch in range(1, args.epochs + 1):
        model.train()
        for batch_x, batch_y in loader:
            optimizer.zero_grad()
            loss = loss_of(model(batch_x), batch_y)
            loss.backward()
            optimizer.step()
        schedule.step()
        model.eval()
        with torch.no_grad():
            logits = model(x[valid])
            val_loss = loss_of(logits, y[valid]).item()
            accuracy = (logits.argmax(1) == y[valid]).float().mean().item()
        run.log(val_loss=val_loss, acc=accuracy)
        print(f"epoch {epoch:3d}  lr {optimizer.param_groups[0]['lr']:.2e}  train loss {loss.item():.4f}  "
              f"val loss {val_loss:.4f}  val acc {accuracy:.3f}", flush=True)

if args.save:
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict()}, args.save)
