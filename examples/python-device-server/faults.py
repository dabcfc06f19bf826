#!/usr/bin/env python3
"""server.py with the fault injection tenzo's integration tests use (the faults `tenzo-device
serve` injects): NaN rows, random delays, hung queries and dropped connections, on top of
server.py's own --fail-rate. For tests and demos; a lab runs server.py with its instrument.

    python3 faults.py --nan-rate 0.001 --delay 20 --hang-rate 0.001 --drop-connection-every 900 \\
        --fail-rate 0.01 --port 0        # then server.py's flags; prints "listening on <port>"

GET /v1/health also reports what was injected: {"faults": {"nanRows", "hung", "dropped"}}.
"""
import argparse, math, random, threading, time

import server

ap = argparse.ArgumentParser(add_help=False)
for flag in ("--nan-rate", "--hang-rate", "--delay"):  # --delay: the longest random delay, ms
    ap.add_argument(flag, type=float, default=0.0)
ap.add_argument("--drop-connection-every", type=int, default=0)  # every k-th query: no answer, closed
ap.add_argument("--fault-seed", type=int, default=0)
FAULTS, REST = ap.parse_known_args()
RNG, LOCK = random.Random(FAULTS.fault_seed), threading.Lock()
COUNTS, QUERIES = {"nanRows": 0, "hung": 0, "dropped": 0}, [0]


class FaultyHandler(server.Handler):
    def route(self, method):
        if (method, self.path.split("?")[0]) == ("POST", "/v1/query"):
            with LOCK:  # the draws in arrival order, one query at a time
                QUERIES[0] += 1
                every = FAULTS.drop_connection_every
                drop = every > 0 and QUERIES[0] % every == 0
                hang = not drop and RNG.random() < FAULTS.hang_rate
                delay = RNG.random() * FAULTS.delay / 1000
                COUNTS["dropped"] += drop
                COUNTS["hung"] += hang
            if drop or hang:  # no answer: the client's timeout (hang) or a reset (drop) tells
                time.sleep(60 if hang else 0)
                self.close_connection = True
                return
            time.sleep(delay)
        super().route(method)

    def handle_call(self, method, path, body, rid):
        res = super().handle_call(method, path, body, rid)
        if res is None or res[0] != 200:
            return res
        status, data, kind, headers = res
        if path == "/v1/health":
            return status, {**data, "faults": dict(COUNTS)}, kind, headers
        if path != "/v1/query":
            return res
        code = {"float64": "d", "float32": "f"}[self.headers.get("Tenzo-Dtype")]
        y, d_out = server.values(data, code), self.server.dev.d_out
        with LOCK:
            bad = [r for r in range(len(y) // d_out) if RNG.random() < FAULTS.nan_rate]
            COUNTS["nanRows"] += len(bad)
        if not bad:
            return res
        for r in bad:
            y[r * d_out] = math.nan
        return status, server.wire(y, code), kind, headers


if __name__ == "__main__":
    import sys

    sys.argv = [sys.argv[0], *REST]
    server.Handler = FaultyHandler  # main() builds its server with the module's Handler
    server.main()
