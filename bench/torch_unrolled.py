"""The PyTorch peer of `mgd bench compare`: unrolled differentiation storing everything.

Trains the problem exported by our side (same initial parameters, data, batch of every step,
learning rates) with SGD with momentum, keeping the whole autograd graph (create_graph=True, the way
`higher` and TorchOpt differentiate through training), then backpropagates the mean target loss to
every example's weight. Times plain training and the unrolled metagradient alternately (wall clock and
this process's CPU time, which a busy shared machine disturbs less), prints one JSON object on stdout,
and writes the metagradient next to the inputs.
"""
import argparse
import ctypes
import json
import os
import statistics
import sys
import time


def choose_blas(threads):
    """OpenBLAS reads these when it loads, so they are set before numpy and torch are imported.

    OpenBLAS 0.3.21 (Debian 12) does not know recent Xeons and falls back to its generic Prescott
    kernels, several times slower than its AVX-512 ones; on a CPU with AVX-512 the peer gets the
    SkylakeX kernels unless OPENBLAS_CORETYPE says otherwise.
    """
    os.environ["OPENBLAS_NUM_THREADS"] = str(threads)
    os.environ["OMP_NUM_THREADS"] = str(threads)
    if "OPENBLAS_CORETYPE" not in os.environ:
        with open("/proc/cpuinfo") as f:
            if " avx512f" in f.read():
                os.environ["OPENBLAS_CORETYPE"] = "SkylakeX"


def peak_rss_mb():
    """This process's own peak resident memory. Not getrusage's ru_maxrss: launched from a JVM (vfork,
    then exec) that starts out as the launcher's peak."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    return float("nan")


def blas_description():
    try:
        lib = ctypes.CDLL("libblas.so.3")
        lib.openblas_get_config.restype = ctypes.c_char_p
        lib.openblas_get_corename.restype = ctypes.c_char_p
        return "%s, kernels %s" % (lib.openblas_get_config().decode(), lib.openblas_get_corename().decode())
    except (OSError, AttributeError):
        return "libblas.so.3 (not OpenBLAS: %s)" % torch.__config__.show().split("BLAS_INFO=")[-1].split(",")[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dir", required=True, help="directory written by mgd bench compare")
    parser.add_argument("--threads", type=int, required=True, help="intra-op threads (same as ours)")
    parser.add_argument("--reps", type=int, default=3, help="repetitions of training and metagradient, alternating")
    args = parser.parse_args()
    choose_blas(args.threads)
    global np, torch
    import numpy as np
    import torch
    torch.set_num_threads(args.threads)

    def load(name, dtype, shape):
        return torch.from_numpy(np.fromfile(os.path.join(args.dir, name), dtype=dtype).reshape(shape))

    with open(os.path.join(args.dir, "problem.json")) as f:
        p = json.load(f)
    n, d, h, c, b, steps = p["examples"], p["input"], p["hidden"], p["classes"], p["batch"], p["steps"]
    init = [load("w1.f32", np.float32, (d, h)), load("b1.f32", np.float32, (h,)),
            load("w2.f32", np.float32, (h, c)), load("b2.f32", np.float32, (c,))]
    x = load("x.f32", np.float32, (n, d))
    y = load("y.f32", np.float32, (n, c))
    order = load("order.i32", np.int32, (steps, b)).long()
    rates = np.fromfile(os.path.join(args.dir, "rates.f64"), dtype=np.float64)
    tx = load("target_x.f32", np.float32, (p["targets"], d))
    ty = load("target_y.f32", np.float32, (p["targets"], c))
    mu = p["momentum"]
    lrs = [torch.tensor(float(r), dtype=torch.float32) for r in rates]

    def losses(params, xb, yb):
        w1, b1, w2, b2 = params
        logits = torch.tanh(xb @ w1 + b1) @ w2 + b2
        return -(yb * torch.log_softmax(logits, dim=1)).sum(dim=1)

    def train(weights, create_graph):
        params = [t.clone().requires_grad_(True) for t in init]
        momenta = [torch.zeros_like(t) for t in init]
        for t in range(steps):
            rows = order[t]
            loss = (weights[rows] * losses(params, x[rows], y[rows])).sum() / b
            grads = torch.autograd.grad(loss, params, create_graph=create_graph)
            if create_graph:
                momenta = [mu * m + g for m, g in zip(momenta, grads)]
                params = [q - lrs[t] * m for q, m in zip(params, momenta)]
            else:
                with torch.no_grad():
                    momenta = [mu * m + g for m, g in zip(momenta, grads)]
                    params = [(q - lrs[t] * m).requires_grad_(True) for q, m in zip(params, momenta)]
        return params

    def plain_training():
        start, cpu = time.perf_counter(), time.process_time()
        train(torch.ones(n), create_graph=False)
        return time.perf_counter() - start, time.process_time() - cpu

    def unrolled_metagradient():
        start, cpu = time.perf_counter(), time.process_time()
        weights = torch.ones(n, requires_grad=True)
        params = train(weights, create_graph=True)
        value = losses(params, tx, ty).mean()
        (grad,) = torch.autograd.grad(value, weights)
        return time.perf_counter() - start, time.process_time() - cpu, value.item(), grad

    plain_training()  # warm-up
    train_seconds, metagrad_seconds, ratios, cpu_ratios, train_cpu, metagrad_cpu = [], [], [], [], [], []
    for rep in range(args.reps):
        ts, tc = plain_training()
        ms, mc, value, grad = unrolled_metagradient()
        train_seconds.append(ts)
        metagrad_seconds.append(ms)
        ratios.append(ms / ts)
        train_cpu.append(tc)
        metagrad_cpu.append(mc)
        cpu_ratios.append(mc / tc)
        print("torch peer: rep %d/%d train %.2f s, metagradient %.2f s" % (rep + 1, args.reps, ts, ms), file=sys.stderr)
    grad.numpy().astype(np.float32).tofile(os.path.join(args.dir, "torch_metagradient.f32"))

    def spread(v):
        q = statistics.quantiles(v, n=4, method="inclusive") if len(v) > 1 else [v[0]] * 3
        return {"median": statistics.median(v), "q1": q[0], "q3": q[2], "min": min(v), "max": max(v)}

    print(json.dumps({
        "peer": "pytorch unrolled store-all (create_graph=True)",
        "torch": torch.__version__,
        "blas": blas_description(),
        "threads": torch.get_num_threads(),
        "reps": args.reps,
        "train_seconds": spread(train_seconds),
        "metagrad_seconds": spread(metagrad_seconds),
        "ratio": spread(ratios),
        "train_cpu_seconds": spread(train_cpu),
        "metagrad_cpu_seconds": spread(metagrad_cpu),
        "cpu_ratio": spread(cpu_ratios),
        "peak_rss_mb": peak_rss_mb(),
        "value": value,
    }))


if __name__ == "__main__":
    main()
