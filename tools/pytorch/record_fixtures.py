#!/usr/bin/python3
"""Records the PyTorch cross-check fixtures read by PyTorchFixturesTest (STYLE.md 12(c)).

Run from the repository root with a Python that has torch (the fixtures were made with torch 1.13):

    /usr/bin/python3 tools/pytorch/record_fixtures.py

It writes one small JSON file per case to core/src/test/resources/org/jvision/pytorch/. Each file
holds the case's settings and named tensors, every tensor as {"shape": [...], "data": [...]} with
the data in row-major (C) order and ALREADY IN JVISION'S LAYOUT:

    images          PyTorch NCHW [n, c, h, w]          -> jvision NHWC [n, h, w, c]
    conv kernels    PyTorch [cout, cin, kh, kw]        -> jvision [kh, kw, cin, cout]
    dense kernels   PyTorch Linear weight [out, in]    -> jvision [in, out]

Inputs and weights are drawn in float32 (so jvision reads them exactly); PyTorch then computes in
float64 from those float32 values, so the recorded outputs and gradients are a double-precision
reference for jvision's float32 code (compared at 1e-4 relative). For the layer cases the loss is
L = sum(output * g) for a recorded random g, so dL/d(output) = g, and the recorded gradients are
dL/d(input) and dL/d(every parameter).

Each case seeds torch itself, so adding or changing one case leaves the others' numbers alone.
"""

import json
import os

import torch
import torch.nn.functional as F

OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                       "core", "src", "test", "resources", "org", "jvision", "pytorch")


def f32(*shape):
    """Standard normal values rounded to float32, held in float64 for the computation."""
    return torch.randn(*shape, dtype=torch.float32).double()


def distinct(*shape):
    """Values in (-1, 1), all different (a permutation of a grid): no ties for max pooling."""
    n = 1
    for s in shape:
        n *= s
    v = (torch.randperm(n).double() + 0.5) / n * 2 - 1
    return v.float().double().reshape(*shape)


def nhwc(t):
    return t.permute(0, 2, 3, 1)


def conv_kernel(w):
    return w.permute(2, 3, 1, 0)


def tensor(t):
    t = t.detach().contiguous()
    return {"shape": list(t.shape),
            # 9 significant digits: exact for float32 values, 5e-9 relative for float64 results
            "data": [float("%.9g" % v) for v in t.reshape(-1).tolist()]}


def write(name, settings, tensors):
    doc = {"case": name, "torch": torch.__version__, "settings": settings,
           "tensors": {k: tensor(v) for k, v in tensors.items()}}
    path = os.path.join(OUT_DIR, name + ".json")
    with open(path, "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")
    print("%-28s %6d bytes" % (os.path.relpath(path), os.path.getsize(path)))


def conv2d_case(name, seed, batch, h, w, cin, cout, kernel, stride, padding, settings):
    torch.manual_seed(seed)
    x = f32(batch, cin, h, w).requires_grad_()
    weight = (f32(cout, cin, *kernel) * 0.5).requires_grad_()
    bias = f32(cout).requires_grad_()
    y = F.conv2d(x, weight, bias, stride=stride, padding=padding)
    g = f32(*y.shape)
    (y * g).sum().backward()
    write(name, settings, {
        "input": nhwc(x), "kernel": conv_kernel(weight), "bias": bias,
        "output": nhwc(y), "output_gradient": nhwc(g),
        "input_gradient": nhwc(x.grad), "kernel_gradient": conv_kernel(weight.grad),
        "bias_gradient": bias.grad})


def pool_case(name, seed, pool, kernel, stride):
    torch.manual_seed(seed)
    x = distinct(2, 3, 7, 7).requires_grad_()  # NHWC [2, 7, 7, 3]
    y = pool(x, kernel_size=kernel, stride=stride, padding=0)
    g = f32(*y.shape)
    (y * g).sum().backward()
    write(name, {"pool_size": [kernel, kernel], "strides": [stride, stride], "padding": "valid"}, {
        "input": nhwc(x), "output": nhwc(y), "output_gradient": nhwc(g), "input_gradient": nhwc(x.grad)})


def linear_case():
    torch.manual_seed(4)
    x = f32(3, 5).requires_grad_()
    weight = (f32(4, 5) * 0.5).requires_grad_()  # Linear weight [out, in]
    bias = f32(4).requires_grad_()
    y = F.linear(x, weight, bias)
    g = f32(*y.shape)
    (y * g).sum().backward()
    write("linear", {"in": 5, "out": 4}, {
        "input": x, "kernel": weight.t(), "bias": bias, "output": y, "output_gradient": g,
        "input_gradient": x.grad, "kernel_gradient": weight.grad.t(), "bias_gradient": bias.grad})


def batch_norm_case():
    torch.manual_seed(5)
    c = 3
    x = (f32(2, c, 5, 4) * 2 + 1).float().double().requires_grad_()  # NHWC [2, 5, 4, 3]
    gamma = (1 + 0.5 * f32(c)).float().double().requires_grad_()
    beta = f32(c).requires_grad_()
    bn = torch.nn.BatchNorm2d(c, eps=1e-5, momentum=0.1).double()
    with torch.no_grad():
        bn.weight.copy_(gamma)
        bn.bias.copy_(beta)
    bn.train()
    y = bn(x)
    g = f32(*y.shape)
    (y * g).sum().backward()
    # After the step: running_mean = 0.9 * 0 + 0.1 * mean, running_var = 0.9 * 1 + 0.1 * UNBIASED var.
    running_mean = bn.running_mean.clone()
    running_var = bn.running_var.clone()
    bn.eval()
    x_inf = (f32(2, c, 5, 4) * 2 + 1).float().double()
    with torch.no_grad():
        y_inf = bn(x_inf)
    write("batch_norm2d", {"momentum_pytorch": 0.1, "momentum_keras": 0.9, "epsilon": 1e-5,
                           "initial_running_mean": 0.0, "initial_running_var": 1.0}, {
        "input": nhwc(x), "gamma": gamma, "beta": beta, "output": nhwc(y), "output_gradient": nhwc(g),
        "input_gradient": nhwc(x.grad), "gamma_gradient": bn.weight.grad, "beta_gradient": bn.bias.grad,
        "running_mean": running_mean, "running_var_unbiased": running_var,
        "inference_input": nhwc(x_inf), "inference_output": nhwc(y_inf)})


def cross_entropy_case():
    torch.manual_seed(6)
    logits = (f32(4, 6) * 2).float().double().requires_grad_()
    labels = torch.tensor([2, 0, 5, 3])
    loss = F.cross_entropy(logits, labels, reduction="mean")
    loss.backward()
    write("softmax_cross_entropy", {"labels": labels.tolist(), "reduction": "mean"}, {
        "logits": logits, "loss": loss.reshape(1), "logits_gradient": logits.grad})


def adam_case():
    torch.manual_seed(7)
    w = (f32(2, 4) * 0.05).float().double()
    grads = [f32(2, 4) for _ in range(3)]
    # Element [1, 3]: gradients far below epsilon's scale (1e-8), where eps decides the step.
    for k, s in enumerate([3e-9, -1e-8, 2e-9]):
        grads[k][1, 3] = torch.tensor(s, dtype=torch.float32).double()
    grads = [gr.float().double() for gr in grads]
    p = torch.nn.Parameter(w.clone())
    opt = torch.optim.Adam([p])  # lr 1e-3, betas (0.9, 0.999), eps 1e-8
    tensors = {"initial": w}
    for k in range(3):
        opt.zero_grad()
        p.grad = grads[k].clone()
        opt.step()
        tensors["gradient_%d" % (k + 1)] = grads[k]
        tensors["after_step_%d" % (k + 1)] = p.detach().clone()
    write("adam", {"lr": 1e-3, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "steps": 3}, tensors)


def main():
    torch.set_default_dtype(torch.float64)
    os.makedirs(OUT_DIR, exist_ok=True)
    conv2d_case("conv2d_explicit", 1, batch=2, h=7, w=6, cin=3, cout=4, kernel=(3, 2), stride=(2, 1),
                padding=(1, 1), settings={"filters": 4, "kernel_size": [3, 2], "strides": [2, 1],
                                          "padding": [1, 1, 1, 1], "use_bias": True})
    conv2d_case("conv2d_same", 2, batch=2, h=6, w=5, cin=2, cout=5, kernel=(3, 3), stride=(1, 1),
                padding="same", settings={"filters": 5, "kernel_size": [3, 3], "strides": [1, 1],
                                          "padding": "same", "use_bias": True})
    pool_case("max_pool2d", 3, F.max_pool2d, kernel=2, stride=2)
    pool_case("avg_pool2d", 3, F.avg_pool2d, kernel=3, stride=2)
    linear_case()
    batch_norm_case()
    cross_entropy_case()
    adam_case()


if __name__ == "__main__":
    main()
