"""One hybrid training step's device side in PyTorch, for `tenzo-bench hybrid`.

A re-implementation of the reference algorithm (arXiv 2509.15113, astralora; METHODS.md §1) at the
issue's setting, written the way the PyTorch reference does it — vectorised tensor ops, float64:
forward query of the batch, x̄ through the rank-r surrogate, the Gaussian ZO ω-gradient from
M_BB perturbed batch queries, an Adam step on ω, and the implicit KSL update from 2(r + M_SM)
queries. Prints one JSON line with the median step time. Not a dependency of tenzo: run only
when Debian's python3-torch is installed.
"""

import argparse
import json
import math
import os
import statistics
import time

import torch

p = argparse.ArgumentParser()
p.add_argument("--device", choices=["slm", "mrr", "mzi"], default="slm")
p.add_argument("--d", type=int, default=256)
p.add_argument("--batch", type=int, default=64)
p.add_argument("--rank", type=int, default=10)
p.add_argument("--samples", type=int, default=100)
p.add_argument("--seed", type=int, default=0)
p.add_argument("--min-time", type=float, default=3.0)
p.add_argument("--min-samples", type=int, default=5)
args = p.parse_args()
# all cores, as a user would run it (Debian's build defaults to one thread)
torch.set_num_threads(os.cpu_count() or 1)
torch.manual_seed(args.seed)
dt = torch.float64
d, B, r, M, mu = args.d, args.batch, args.rank, args.samples, 1e-4

if args.device == "slm":
    omega = math.pi / 2 + 0.2 * (torch.rand(d * d, dtype=dt) - 0.5)

    def query(X, w):
        return X @ (torch.cos(w).view(d, d) / math.sqrt(d)).T

elif args.device == "mrr":
    a_, r_ = 0.8, 0.9
    omega = 0.1 * torch.randn(d * d, dtype=dt)

    def query(X, w):
        c = torch.cos(w)
        t = torch.sqrt((a_ * a_ + r_ * r_ - 2 * a_ * r_ * c) / (1 + (a_ * r_) ** 2 - 2 * a_ * r_ * c))
        return X @ (2 * t - 1).view(d, d).T

else:
    # Clements rectangular mesh: d columns, column c couples modes (k, k+1) for k = c % 2, c % 2 + 2, ...
    cols = []
    off = 0
    for c in range(d):
        top = torch.arange(c % 2, d - 1, 2)
        cols.append((top, off))
        off += len(top)
    omega = torch.cat([math.pi / 2 + torch.randn(off, dtype=dt) / math.sqrt(d), torch.rand(off, dtype=dt)])
    nblocks = off

    def query(X, w):
        re = X.T.clone()  # modes × batch
        im = torch.zeros_like(re)
        for top, o in cols:
            n = len(top)
            p0 = w[o : o + n, None]
            p1 = w[nblocks + o : nblocks + o + n, None]
            s, c = torch.sin(p1), torch.cos(p1)
            e_re, e_im = torch.cos(p0), torch.sin(p0)
            ar, ai, br, bi = re[top], im[top], re[top + 1], im[top + 1]
            # [[e^{iφ0} sin φ1, e^{iφ0} cos φ1], [cos φ1, −sin φ1]]
            ur, ui = s * ar + c * br, s * ai + c * bi
            re[top], im[top] = e_re * ur - e_im * ui, e_re * ui + e_im * ur
            re[top + 1], im[top + 1] = c * ar - s * br, c * ai - s * bi
        return re.T

omega = omega.clone().requires_grad_(False)
opt_state = {"m": torch.zeros_like(omega), "v": torch.zeros_like(omega), "t": 0}


def adam(w, g, lr=1e-2, b1=0.9, b2=0.999, eps=1e-8):
    s = opt_state
    s["t"] += 1
    s["m"].mul_(b1).add_(g, alpha=1 - b1)
    s["v"].mul_(b2).addcmul_(g, g, value=1 - b2)
    mh = s["m"] / (1 - b1 ** s["t"])
    vh = s["v"] / (1 - b2 ** s["t"])
    w.sub_(lr * mh / (vh.sqrt() + eps))


# surrogate: exact build from d identity queries, truncated SVD
Uf, Sf, Vhf = torch.linalg.svd(query(torch.eye(d, dtype=dt), omega).T)
U, S, V = Uf[:, :r], torch.diag(Sf[:r]), Vhf[:r].T
X = torch.randn(B, d, dtype=dt)
Ybar = torch.randn(B, d, dtype=dt)
state = {"U": U, "S": S, "V": V, "prev": omega.clone()}


def step():
    w0 = state["prev"]
    w1 = omega.clone()
    # implicit KSL from w0 to w1 (triggered by the forward after an optimizer step)
    U0, S0, V0 = state["U"], state["S"], state["V"]
    P1 = query(V0.T, w1).T - query(V0.T, w0).T
    U1, Sh = torch.linalg.qr(U0 @ S0 + P1)
    St = Sh - U1.T @ P1
    Z = torch.randn(M, d, dtype=dt)
    P2 = Z.T @ ((query(Z, w1) - query(Z, w0)) @ U1) / M
    V1, R = torch.linalg.qr(V0 @ St.T + P2)
    state["U"], state["S"], state["V"] = U1, R.T, V1
    state["prev"] = w1
    # forward and surrogate backward
    Y = query(X, w1)
    _xbar = Ybar @ state["U"] @ state["S"] @ state["V"].T
    # ZO ω-gradient
    base = (Y * Ybar).sum()
    g = torch.zeros_like(omega)
    for _ in range(M):
        u = torch.randn_like(omega)
        g.add_(u, alpha=float(((query(X, w1 + mu * u) * Ybar).sum() - base) / (mu * M)))
    adam(omega, g)


for _ in range(2):
    step()
times = []
start = time.perf_counter()
while len(times) < args.min_samples or time.perf_counter() - start < args.min_time:
    t0 = time.perf_counter()
    step()
    times.append(1000 * (time.perf_counter() - t0))
print(
    json.dumps(
        {
            "medianMs": statistics.median(times),
            "minMs": min(times),
            "samples": len(times),
            "threads": torch.get_num_threads(),
            "torch": torch.__version__,
        }
    )
)
