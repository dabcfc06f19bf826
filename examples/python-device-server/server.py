#!/usr/bin/env python3
"""A reference server of the tenzo remote device protocol v1 (docs/device-protocol.md), standard
library only. The instrument is a toy: y = M (cos(w) * x) row by row, M a fixed seeded random
d_out x d_in matrix, w one phase per entry. A lab replaces the Instrument class by its driver.

    python3 server.py --port 0 --inputs 16 --outputs 16 --seed 0   # prints "listening on <port>"
"""
import argparse, json, math, random, sys, threading, time, uuid
from array import array
from collections import OrderedDict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SWAP = sys.byteorder != "little"  # the wire is little-endian

class Instrument:
    """THE PLUG-IN POINT: set(w) configures the hardware, measure(x) reads one output vector."""
    def __init__(self, d_in, d_out, seed):
        rng = random.Random(seed)
        self.d_in, self.d_out, self.p = d_in, d_out, d_in * d_out
        self.m = [rng.gauss(0, 1 / math.sqrt(d_in)) for _ in range(self.p)]
        self.c = [0.0] * self.p

    def set(self, w):  # e.g. write phases to the SLM's DAC, wait for it to settle
        self.c = [mi * math.cos(wi) for mi, wi in zip(self.m, w)]

    def measure(self, x):  # e.g. display x, read the photodiodes
        return [sum(c * v for c, v in zip(self.c[j * self.d_in:], x)) for j in range(self.d_out)]

def swapped(a):
    if SWAP: a.byteswap()
    return a

def values(raw, code): return swapped(array(code, raw))
def wire(vals, code): return swapped(array(code, vals)).tobytes()

class Handler(BaseHTTPRequestHandler):
    protocol_version, disable_nagle_algorithm = "HTTP/1.1", True  # keep-alive, no Nagle stalls

    def log_message(self, *args): pass  # quiet; a lab logs its instrument here

    def answer(self, status, body, kind="application/json", headers=()):
        data = json.dumps(body).encode() if kind == "application/json" else body
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        for k, v in headers: self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def fail(self, status, code, message):  # every error: JSON { code, message }
        self.answer(status, {"code": code, "message": message})

    def route(self, method):
        s, path = self.server, self.path.split("?")[0]
        if s.token and self.headers.get("Authorization") != "Bearer " + s.token:
            return self.fail(401, "unauthorized", "authorization: expected the bearer token")
        length = int(self.headers.get("Content-Length") or 0)
        if length > s.max_body:
            self.close_connection = True
            return self.fail(413, "too_large", f"content-length: at most {s.max_body} bytes, got {length}")
        body = self.rfile.read(length) if length else b""
        rid = self.headers.get("Tenzo-Request-Id", "")
        with s.lock:  # one query at a time, as an instrument does; retries by id are replayed
            if rid and rid in s.replay:
                st, data, kind, hdrs = s.replay[rid]
                return self.answer(st, data, kind, hdrs + [("Tenzo-Replayed", "1")])
            res = self.handle_call(method, path, body, rid)
            if res is None: return
            if rid and res[0] == 200:
                s.replay[rid] = res
                while len(s.replay) > 64: s.replay.popitem(last=False)
        self.answer(*res)

    def handle_call(self, method, path, body, rid):
        s, dev = self.server, self.server.dev
        epoch = f"{s.instance}.{s.epoch}"
        if (method, path) in (("GET", "/v1/health"), ("GET", "/v1/describe")):
            health = {"status": "ok", "version": 1, "uptimeMs": 1000 * (time.time() - s.t0), "served": s.served}
            return 200, health if path == "/v1/health" else s.describe, "application/json", []
        if (method, path) == ("GET", "/v1/params"):
            return 200, wire(s.w, "d"), "application/octet-stream", []
        if (method, path) == ("PUT", "/v1/params"):
            if len(body) != 8 * dev.p: return self.fail(400, "bad_request", f"body: expected {8 * dev.p} bytes, got {len(body)}")
            if not all(map(math.isfinite, values(body, "d"))): return self.fail(400, "non_finite", "w: expected finite values")
            self.configure(list(values(body, "d")))
            return 200, {"epoch": f"{s.instance}.{s.epoch}", "reconfigured": True}, "application/json", []
        if (method, path) != ("POST", "/v1/query"):
            return self.fail(404, "not_found", f"path: no {method} {path}")
        if s.faults.random() < s.fail_rate: return self.fail(503, "unavailable", "injected fault")
        dtype, inline = self.headers.get("Tenzo-Dtype"), self.headers.get("Tenzo-Params") == "inline"
        code, size = {"float64": ("d", 8), "float32": ("f", 4)}.get(dtype, (None, 0))
        rows = int(self.headers.get("Tenzo-Rows") or 0)
        want = (8 * dev.p if inline else 0) + rows * dev.d_in * size
        if code is None or rows < 1 or len(body) != want:
            return self.fail(400, "bad_request", f"tenzo-dtype/tenzo-rows/content-length: expected a float64|float32 body of {want} bytes, got {dtype}, {rows} rows, {len(body)} bytes")
        x = values(body[8 * dev.p if inline else 0:], code)
        w = values(body[:8 * dev.p], "d") if inline else []
        if not all(map(math.isfinite, list(x) + list(w))): return self.fail(400, "non_finite", "x, w: expected finite values")
        if inline:
            self.configure(list(w))
        elif s.w is None or self.headers.get("Tenzo-Params-Epoch") not in (None, epoch):
            return self.fail(409, "params_changed", f"tenzo-params-epoch: the setting is {epoch}")
        y = [v for r in range(rows) for v in dev.measure(x[r * dev.d_in:(r + 1) * dev.d_in])]
        s.served += 1
        hdrs = [("Tenzo-Dtype", dtype), ("Tenzo-Rows", str(rows)), ("Tenzo-Request-Id", rid), ("Tenzo-Params-Epoch", f"{s.instance}.{s.epoch}")]
        return 200, wire(y, code), "application/octet-stream", hdrs

    def configure(self, w):  # ω outside the bounds is clipped, as a DAC saturates
        s, w = self.server, [min(2 * math.pi, max(0.0, v)) for v in w]
        if w != s.w: s.w, s.epoch = w, s.epoch + 1
        s.dev.set(w)

    def do_GET(self): self.guarded("GET")
    def do_PUT(self): self.guarded("PUT")
    def do_POST(self): self.guarded("POST")

    def guarded(self, method):  # malformed numbers in headers are a 400, never a dropped connection
        try:
            self.route(method)
        except ValueError as e:
            self.close_connection = True
            self.fail(400, "bad_request", f"headers: {e}")

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    for flag, default in [("--port", 7341), ("--inputs", 16), ("--outputs", 16), ("--seed", 0)]:
        ap.add_argument(flag, type=int, default=default)
    ap.add_argument("--host", default="127.0.0.1")  # bind elsewhere only with --token
    ap.add_argument("--token", default=None)
    ap.add_argument("--fail-rate", type=float, default=0.0)  # share of queries answered 503 (tests)
    a = ap.parse_args()
    if a.host not in ("127.0.0.1", "::1", "localhost") and not a.token: ap.error("--host: needs --token")
    srv = ThreadingHTTPServer((a.host, a.port), Handler)
    srv.dev, srv.token, srv.lock, srv.replay = Instrument(a.inputs, a.outputs, a.seed), a.token, threading.Lock(), OrderedDict()
    srv.w, srv.epoch, srv.served, srv.t0, srv.instance, srv.max_body = None, 0, 0, time.time(), uuid.uuid4().hex[:8], 64 << 20
    srv.fail_rate, srv.faults = a.fail_rate, random.Random(a.seed + 1)
    srv.describe = {
        "protocol": "tenzo-device", "version": 1, "name": f"python-toy {a.inputs}x{a.outputs}",
        "inputSize": a.inputs, "outputSize": a.outputs, "paramSize": a.inputs * a.outputs,
        "units": {"input": "amplitude (a.u.)", "output": "amplitude (a.u.)", "param": "phase (rad)"},
        "bounds": {"lower": 0, "upper": 2 * math.pi}, "paramStep": None,
        "init": [{"count": a.inputs * a.outputs, "kind": "uniform", "center": math.pi / 4, "halfWidth": 0.1}],
        "outputRange": None, "capabilities": {"dtypes": ["float64", "float32"], "replayCache": 64},
        "limits": {"maxBodyBytes": srv.max_body, "maxRows": 65536},
    }
    print(f"listening on {srv.server_address[1]}", flush=True)
    srv.serve_forever()

if __name__ == "__main__":
    main()
