#!/usr/bin/python3
"""Records the optimizer fixtures read by PyTorchOptimizersTest (STYLE.md 12(c)).

Run from the repository root with Debian's Python, which has torch 1.13 (not the python3 first on PATH):

    /usr/bin/python3 tools/pytorch/record_optimizer_fixtures.py

It writes core/src/test/resources/org/jvision/pytorch/optimizers.json. Every optimizer configuration
of CASES (each optimizer with PyTorch's defaults, and with non-default settings: momentum, Nesterov,
weight decay, centered RMSprop, AdamW's decoupled decay) is run in float64 on two problems:

  quadratic  5 steps on f(w) = 0.5 * sum(a_i * (w_i - b_i)^2), whose gradient is a * (w - b);
             the gradient of every step and the weights after it are recorded.
  network    3 steps on a dense layer 4 -> 3 with bias, softmax cross-entropy averaged over a fixed
             batch of 5. The kernel is laid out [in, out] as jvision's Dense kernel (logits = x K + b),
             so no transpose is needed. Weight decay applies to the kernel only: the bias is in a
             parameter group of its own with weight_decay 0 (SPEC.md section 5, "Biases are not
             regularized"). The gradients of every step and the kernel and bias after it are recorded.

Inputs and starting weights are float32 values (so jvision reads them exactly); PyTorch computes in
float64 from them, so the results are a double-precision reference for jvision's float32 code.
Each case's "hyperparameters" are PyTorch's own param_groups[0] (defaults filled in), so the test
checks jvision's defaults against PyTorch's for the "defaults" cases.
"""

import json
import os

import torch
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                   "core", "src", "test", "resources", "org", "jvision", "pytorch", "optimizers.json")

QUADRATIC_STEPS = 5
NETWORK_STEPS = 3

# (case name, jvision optimizer name, PyTorch class, keyword arguments). An empty dict is PyTorch's
# defaults; SGD has no default learning rate in PyTorch, so its "defaults" case passes jvision's 0.01.
CASES = [
    ("sgd", "sgd", torch.optim.SGD, {"lr": 0.01}),
    ("sgd_weight_decay", "sgd", torch.optim.SGD, {"lr": 0.1, "weight_decay": 0.1}),
    ("sgd_momentum", "sgd", torch.optim.SGD, {"lr": 0.05, "momentum": 0.9}),
    ("sgd_nesterov", "sgd", torch.optim.SGD, {"lr": 0.05, "momentum": 0.9, "nesterov": True}),
    ("sgd_nesterov_weight_decay", "sgd", torch.optim.SGD,
     {"lr": 0.05, "momentum": 0.8, "nesterov": True, "weight_decay": 0.2}),
    ("adagrad", "adagrad", torch.optim.Adagrad, {}),
    ("adagrad_settings", "adagrad", torch.optim.Adagrad,
     {"lr": 0.1, "eps": 1e-6, "initial_accumulator_value": 0.1, "weight_decay": 0.1}),
    ("rmsprop", "rmsprop", torch.optim.RMSprop, {}),
    ("rmsprop_momentum", "rmsprop", torch.optim.RMSprop, {"lr": 0.002, "alpha": 0.9, "momentum": 0.9}),
    ("rmsprop_centered", "rmsprop", torch.optim.RMSprop, {"centered": True}),
    ("rmsprop_centered_momentum_weight_decay", "rmsprop", torch.optim.RMSprop,
     {"lr": 0.003, "eps": 1e-6, "centered": True, "momentum": 0.5, "weight_decay": 0.1}),
    ("adam", "adam", torch.optim.Adam, {}),
    ("adam_weight_decay", "adam", torch.optim.Adam, {"lr": 0.01, "betas": (0.8, 0.99), "weight_decay": 0.1}),
    ("adamax", "adamax", torch.optim.Adamax, {}),
    ("adamax_settings", "adamax", torch.optim.Adamax,
     {"lr": 0.01, "betas": (0.85, 0.995), "eps": 1e-6, "weight_decay": 0.1}),
    ("adamw", "adamw", torch.optim.AdamW, {}),
    ("adamw_settings", "adamw", torch.optim.AdamW, {"lr": 0.01, "betas": (0.9, 0.99), "weight_decay": 0.2}),
]


def f32(*shape):
    """Standard normal values rounded to float32, held in float64."""
    return torch.randn(*shape, dtype=torch.float32).double()


def flat(t):
    # 12 significant digits: exact for float32 values, 5e-13 relative for float64 results
    return [float("%.12g" % v) for v in t.detach().reshape(-1).tolist()]


def hyperparameters(opt):
    group = {k: v for k, v in opt.param_groups[0].items() if k != "params"}
    return {k: list(v) if isinstance(v, tuple) else v for k, v in group.items()}


def quadratic_problem():
    torch.manual_seed(11)
    a = (torch.rand(6, dtype=torch.float32) * 2.5 + 0.5).double()  # curvatures in [0.5, 3)
    a[5] = torch.tensor(1e-3, dtype=torch.float32).double()        # one flat direction: small gradients
    b = f32(6)
    w = f32(6)
    return a, b, w


def run_quadratic(problem, cls, kwargs):
    a, b, w0 = problem
    w = torch.nn.Parameter(w0.clone())
    opt = cls([w], **kwargs)
    gradients, weights = [], []
    for _ in range(QUADRATIC_STEPS):
        opt.zero_grad()
        loss = 0.5 * (a * (w - b) ** 2).sum()
        loss.backward()
        gradients.append(flat(w.grad))
        opt.step()
        weights.append(flat(w))
    return opt, {"gradients": gradients, "weights": weights}


def network_problem():
    torch.manual_seed(12)
    x = f32(5, 4)
    labels = torch.tensor([0, 2, 1, 2, 0])
    kernel = (f32(4, 3) * 0.5).float().double()  # [in, out]
    bias = (f32(3) * 0.1).float().double()
    return x, labels, kernel, bias


def run_network(problem, cls, kwargs):
    x, labels, kernel0, bias0 = problem
    kernel = torch.nn.Parameter(kernel0.clone())
    bias = torch.nn.Parameter(bias0.clone())
    opt = cls([{"params": [kernel]}, {"params": [bias], "weight_decay": 0.0}], **kwargs)
    record = {"losses": [], "kernel_gradients": [], "bias_gradients": [], "kernels": [], "biases": []}
    for _ in range(NETWORK_STEPS):
        opt.zero_grad()
        loss = F.cross_entropy(x @ kernel + bias, labels, reduction="mean")
        loss.backward()
        record["losses"].append(float("%.12g" % loss.item()))
        record["kernel_gradients"].append(flat(kernel.grad))
        record["bias_gradients"].append(flat(bias.grad))
        opt.step()
        record["kernels"].append(flat(kernel))
        record["biases"].append(flat(bias))
    return record


def main():
    torch.set_default_dtype(torch.float64)
    quadratic = quadratic_problem()
    network = network_problem()
    cases = []
    for name, jvision_name, cls, kwargs in CASES:
        opt, quadratic_record = run_quadratic(quadratic, cls, kwargs)
        cases.append({
            "name": name,
            "optimizer": jvision_name,
            "pytorch": cls.__name__,
            "defaults": kwargs == {} or (cls is torch.optim.SGD and kwargs == {"lr": 0.01}),
            "hyperparameters": hyperparameters(opt),
            "quadratic": quadratic_record,
            "network": run_network(network, cls, kwargs)})
    a, b, w = quadratic
    x, labels, kernel, bias = network
    doc = {
        "torch": torch.__version__,
        "quadratic": {"steps": QUADRATIC_STEPS, "a": flat(a), "b": flat(b), "initial": flat(w)},
        "network": {"steps": NETWORK_STEPS, "input_shape": list(x.shape), "input": flat(x),
                    "labels": labels.tolist(), "kernel_shape": list(kernel.shape), "kernel": flat(kernel),
                    "bias": flat(bias)},
        "cases": cases}
    with open(OUT, "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")
    print("%s: %d cases, %d bytes" % (os.path.relpath(OUT), len(cases), os.path.getsize(OUT)))


if __name__ == "__main__":
    main()
