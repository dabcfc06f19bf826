"""The device side of one hybrid training step in PyTorch, run the way the reference runs it.

The peer of `tenzo-bench hybrid` (arXiv 2509.15113; the reference implementation is astralora,
METHODS.md §1). float32 / complex64 throughout, as the reference's tensors are. One step is:
the implicit KSL update of the rank-r surrogate U S Vᵀ from 2(r + M_SM) queries (the forward after
an optimizer step triggers it), the forward query of the batch, the surrogate backward
x̄ = Ȳ U S Vᵀ, the zeroth-order ω-gradient from M_BB perturbed queries, and Adam on ω (lr 1e-2).
μ = 1e-4.

Two ZO variants (--variant):
  loop     the reference's per-direction loop (astralora `_backprop_stochastic`): y0 = f(X, ω),
           then for each of M directions u ~ N(0, I): p = Σ_i ⟨f(X, ω + μu)_i, ȳ_i⟩,
           g += u (p − p0)/μ; finally g /= M.
  batched  all M directions at once: U ~ N(0, I) of M×p, one batched query over M (einsum),
           s_m = (p_m − p0)/μ, g = Uᵀ s / M — what a PyTorch user would write to go faster.

Devices, equal to tenzo's simulators (packages/devices) in formula, parameter layout and init:
  slm  A_ij = Re(e^{iΦ_ij}) / √d_in = cos Φ_ij / √d_in, computed as the reference does (complex64
       einsum); Φ ~ U[π/2 − 0.1, π/2 + 0.1].
  mrr  all-pass ring weight bank A = 2 t(φ) − 1, t = sqrt((a² + r² − 2ar cos φ)/(1 + a²r² − 2ar cos φ)),
       a = 0.8, r = 0.9, in real float32, y = x Aᵀ; φ ~ U[−1/√d_in, 1/√d_in].
  mzi  Clements mesh of classical blocks T = [[e^{iφ0} sin φ1, e^{iφ0} cos φ1], [cos φ1, −sin φ1]],
       ω = [even columns (two phases per block) | odd columns]; U is built on every query by
       applying the columns to the identity (complex64), then y = Re(U x); phases ~ N(π/2, 1/N).

Threads: --threads N sets torch's intra-op threads and, before torch loads, OpenBLAS's and OpenMP's
(Debian's torch does its matmuls in OpenBLAS, which torch.set_num_threads does not reach: left alone
it takes every core even at one torch thread). 1 is the reference on Debian's python3-torch (one
torch thread); N = all cores is the most a PyTorch user gets from this machine. With N > 1 the
peer idles 200 ms after each reply's steps, so that OpenBLAS's spinning workers are asleep before
the caller times something else.

Modes:
  (default)  time --device at --d … and print one JSON line {medianMs, minMs, samples, …}.
  --serve    answer JSON lines on stdin, one JSON line each on stdout (blocking on stdin between
             requests, so the process uses no CPU while its caller measures something else):
               {"op":"setup","device":"slm","d":256,"batch":64,"rank":10,"samples":100,"seed":0}
               {"op":"time","steps":k}        → {"ms":[k step times]}
               {"op":"query","omega":[…],"x":[…]} → {"y":[…],"yMany":[…]} (single and batched query)
               {"op":"zo","omega":[…],"x":[…],"ybar":[…],"directions":[…]}
                                               → {"loop":[…],"batched":[…]} (both estimators, same U)
               {"op":"exit"}
             The first line it prints is a hello: {"hello":true,"torch":…,"threads":…,"variant":…}.

Not a dependency of tenzo: used only when Debian's python3-torch is installed.
"""

import argparse
import json
import math
import os
import statistics
import sys
import time


def parse_args():
    p = argparse.ArgumentParser(description="The device side of one hybrid training step in PyTorch.")
    p.add_argument("--variant", choices=["loop", "batched"], default="loop")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--serve", action="store_true")
    p.add_argument("--device", choices=["slm", "mrr", "mzi"], default="slm")
    p.add_argument("--d", type=int, default=256)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--rank", type=int, default=10)
    p.add_argument("--samples", type=int, default=100)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--min-time", type=float, default=3.0)
    p.add_argument("--min-samples", type=int, default=5)
    return p.parse_args()


ARGS = parse_args() if __name__ == "__main__" else None
if ARGS is not None:
    # read by OpenBLAS and OpenMP when torch loads them, so set before the import
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(max(1, ARGS.threads))
    # In --serve mode the peer idles between interleaved steps while others are timed: idle OpenMP
    # and OpenBLAS threads must sleep, not spin (OpenBLAS spins ~2^28 cycles by default), or they
    # steal the cores from whatever runs next. A one-thread peer has no idle threads to begin with.
    if ARGS.serve:
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        os.environ.setdefault("OPENBLAS_THREAD_TIMEOUT", "4")

import torch  # noqa: E402

MU = 1e-4
LR = 1e-2
F32 = torch.float32
C64 = torch.complex64


def slm(d, gen):
    omega = math.pi / 2 + 0.1 * (2 * torch.rand(d * d, generator=gen, dtype=F32) - 1)
    scale = math.sqrt(d)

    def query(X, w):
        y = torch.einsum("ij,...j->...i", torch.exp(1j * w.view(d, d)), X.to(torch.cfloat))
        return torch.real(y) / scale

    def query_many(X, W):
        y = torch.einsum("mij,bj->mbi", torch.exp(1j * W.view(-1, d, d)), X.to(torch.cfloat))
        return torch.real(y) / scale

    return omega, query, query_many


def mrr(d, gen):
    omega = (2 * torch.rand(d * d, generator=gen, dtype=F32) - 1) / math.sqrt(d)
    a, r = 0.8, 0.9

    def weights(w):
        c = -2 * r * a * torch.cos(w)
        t = torch.sqrt((a * a + r * r + c) / (1 + r * r * a * a + c))
        return 2 * t - 1

    def query(X, w):
        return X @ weights(w).view(d, d).T

    def query_many(X, W):
        return torch.matmul(X, weights(W).view(-1, d, d).transpose(1, 2))

    return omega, query, query_many


def mzi(d, gen):
    n = d + d % 2
    half = n // 2
    omega = math.pi / 2 + torch.randn(n * (n - 1), generator=gen, dtype=F32) / math.sqrt(n)

    def blocks(w):
        # w (..., 2k) → (..., k, 2, 2): the reference's `_get_mzi_blocks`
        ph = w.reshape(*w.shape[:-1], -1, 2)
        ph0, ph1 = ph[..., 0], ph[..., 1]
        t = torch.zeros(*ph0.shape, 2, 2, dtype=C64)
        e = torch.exp(1j * ph0)
        t[..., 0, 0] = e * torch.sin(ph1)
        t[..., 0, 1] = e * torch.cos(ph1)
        t[..., 1, 0] = torch.cos(ph1)
        t[..., 1, 1] = -torch.sin(ph1)
        return t

    def unitary(w):
        # the reference's `MZI_Interferometer.get_matrix`: columns applied to the identity
        b0 = blocks(w[: n * half]).view(half, half, 2, 2)
        b1 = blocks(w[n * half :]).view(half, half - 1, 2, 2)
        U = torch.eye(n, dtype=C64)
        for i in range(half):
            U = torch.einsum("bij,bjk->bik", b0[i], U.reshape(half, 2, n)).reshape(n, n)
            mid = torch.einsum("bij,bjk->bik", b1[i], U[1:-1].reshape(half - 1, 2, n))
            U = torch.cat([U[:1], mid.reshape(n - 2, n), U[-1:]], dim=0)
        return U

    def unitaries(W):
        m = W.shape[0]
        b0 = blocks(W[:, : n * half]).view(m, half, half, 2, 2)
        b1 = blocks(W[:, n * half :]).view(m, half, half - 1, 2, 2)
        U = torch.eye(n, dtype=C64).expand(m, n, n)
        for i in range(half):
            U = torch.einsum("mbij,mbjk->mbik", b0[:, i], U.reshape(m, half, 2, n)).reshape(m, n, n)
            mid = torch.einsum("mbij,mbjk->mbik", b1[:, i], U[:, 1:-1].reshape(m, half - 1, 2, n))
            U = torch.cat([U[:, :1], mid.reshape(m, n - 2, n), U[:, -1:]], dim=1)
        return U

    def padded(X):
        if n == d:
            return X.to(torch.cfloat)
        return torch.cat([X, torch.zeros(X.shape[0], n - d, dtype=F32)], dim=1).to(torch.cfloat)

    def query(X, w):
        return torch.real(torch.einsum("ij,...j->...i", unitary(w), padded(X)))[..., :d]

    def query_many(X, W):
        return torch.real(torch.einsum("mij,bj->mbi", unitaries(W), padded(X)))[..., :d]

    return omega, query, query_many


DEVICES = {"slm": slm, "mrr": mrr, "mzi": mzi}


def zo_loop(query, X, w, Ybar, M, directions=None):
    # astralora's `_backprop_stochastic`: y0 is queried again inside the estimator
    p0 = torch.einsum("ij,ij->i", query(X, w), Ybar)
    g = torch.zeros_like(w)
    for m in range(M):
        u = torch.randn_like(w) if directions is None else directions[m]
        p = torch.einsum("ij,ij->i", query(X, w + MU * u), Ybar)
        g = g + torch.einsum("j,i->j", u, (p - p0) / MU)
    return g / M


def zo_batched(query, query_many, X, w, Ybar, M, directions=None):
    p0 = torch.einsum("ij,ij->", query(X, w), Ybar)
    U = torch.randn(M, w.shape[0], dtype=F32) if directions is None else directions
    p = torch.einsum("mbi,bi->m", query_many(X, w + MU * U), Ybar)
    return U.T @ ((p - p0) / MU) / M


class HybridStep:
    """State of one layer (ω, Adam moments, surrogate) and the timed step."""

    def __init__(self, device, d, batch, rank, samples, seed, variant):
        gen = torch.Generator().manual_seed(seed)
        torch.manual_seed(seed)
        self.omega, self.query, self.query_many = DEVICES[device](d, gen)
        self.d, self.r, self.M, self.variant = d, rank, samples, variant
        # surrogate: exact build from d identity queries, truncated SVD (as tenzo's first forward)
        Uf, Sf, Vhf = torch.linalg.svd(self.query(torch.eye(d, dtype=F32), self.omega).T)
        self.U, self.S, self.V = Uf[:, :rank], torch.diag(Sf[:rank]), Vhf[:rank].T
        self.prev = self.omega.clone()
        self.X = torch.randn(batch, d, generator=gen, dtype=F32)
        self.Ybar = torch.randn(batch, d, generator=gen, dtype=F32)
        self.m = torch.zeros_like(self.omega)
        self.v = torch.zeros_like(self.omega)
        self.t = 0

    def adam(self, g, b1=0.9, b2=0.999, eps=1e-8):
        self.t += 1
        self.m.mul_(b1).add_(g, alpha=1 - b1)
        self.v.mul_(b2).addcmul_(g, g, value=1 - b2)
        mh = self.m / (1 - b1**self.t)
        vh = self.v / (1 - b2**self.t)
        self.omega.sub_(LR * mh / (vh.sqrt() + eps))

    def ksl(self, w0, w1):
        # implicit KSL from ω0 to ω1: K-step from r queries at each ω, L-step from M_SM probes each
        q, M = self.query, self.M
        U0, S0, V0 = self.U, self.S, self.V
        P1 = q(V0.T, w1).T - q(V0.T, w0).T
        U1, Sh = torch.linalg.qr(U0 @ S0 + P1)
        St = Sh - U1.T @ P1
        Z = torch.randn(M, self.d, dtype=F32)
        P2 = Z.T @ ((q(Z, w1) - q(Z, w0)) @ U1) / M
        V1, R = torch.linalg.qr(V0 @ St.T + P2)
        self.U, self.S, self.V = U1, R.T, V1

    def step(self):
        w1 = self.omega.clone()
        self.ksl(self.prev, w1)
        self.prev = w1
        _y = self.query(self.X, w1)
        _xbar = self.Ybar @ self.U @ self.S @ self.V.T
        if self.variant == "loop":
            g = zo_loop(self.query, self.X, w1, self.Ybar, self.M)
        else:
            g = zo_batched(self.query, self.query_many, self.X, w1, self.Ybar, self.M)
        self.adam(g)

    def time(self, steps):
        out = []
        for _ in range(steps):
            t0 = time.perf_counter()
            self.step()
            out.append(1000 * (time.perf_counter() - t0))
        return out


def tensor(values):
    return torch.tensor(values, dtype=F32)


def serve(args):
    state = None
    print(json.dumps(hello(args)), flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        req = json.loads(line)
        op = req.get("op")
        try:
            if op == "exit":
                break
            if op == "setup":
                state = HybridStep(
                    req["device"], req["d"], req["batch"], req["rank"], req["samples"], req["seed"], args.variant
                )
                res = {"paramSize": state.omega.shape[0]}
            elif state is None:
                res = {"error": f"op '{op}' before 'setup'"}
            elif op == "time":
                res = {"ms": state.time(int(req.get("steps", 1)))}
                if args.threads > 1:
                    time.sleep(0.2)
            elif op == "query":
                w, d = tensor(req["omega"]), state.d
                X = tensor(req["x"]).view(-1, d)
                res = {
                    "y": state.query(X, w).reshape(-1).tolist(),
                    "yMany": state.query_many(X, w[None]).reshape(-1).tolist(),
                }
            elif op == "zo":
                w, d = tensor(req["omega"]), state.d
                X, Ybar = tensor(req["x"]).view(-1, d), tensor(req["ybar"]).view(-1, d)
                U = tensor(req["directions"]).view(-1, w.shape[0])
                M = U.shape[0]
                res = {
                    "loop": zo_loop(state.query, X, w, Ybar, M, U).tolist(),
                    "batched": zo_batched(state.query, state.query_many, X, w, Ybar, M, U).tolist(),
                }
            else:
                res = {"error": f"unknown op '{op}'"}
        except Exception as e:  # noqa: BLE001 - reported to the caller, which raises a typed error
            res = {"error": f"{type(e).__name__}: {e}"}
        print(json.dumps(res), flush=True)


def hello(args):
    return {"hello": True, "torch": torch.__version__, "threads": torch.get_num_threads(), "variant": args.variant}


def main():
    args = ARGS
    torch.set_num_threads(max(1, args.threads))
    if args.serve:
        serve(args)
        return
    state = HybridStep(args.device, args.d, args.batch, args.rank, args.samples, args.seed, args.variant)
    state.time(2)
    times = []
    start = time.perf_counter()
    while len(times) < args.min_samples or time.perf_counter() - start < args.min_time:
        times += state.time(1)
    print(json.dumps({**hello(args), "medianMs": statistics.median(times), "minMs": min(times), "samples": len(times)}))


if __name__ == "__main__":
    main()
