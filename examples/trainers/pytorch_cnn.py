#!/usr/bin/env python3
"""A Pipewright external trainer in PyTorch: reads a handoff bundle of an image dataset, trains a
small CNN and exports ONNX that takes raw uint8 RGB images at any size (resize and normalisation
are inside the graph, as Pipewright's own models do), then hands the model back.

Two ways to run it:
  * as a `command` handoff: an administrator lists it in PIPEWRIGHT_TRAINER_COMMANDS, e.g.
      PIPEWRIGHT_TRAINER_COMMANDS='{"pytorch-cnn": ["python3", "/srv/trainers/pytorch_cnn.py"]}'
    Pipewright runs it in a folder holding manifest.json and the files, and reads model.onnx from
    $PIPEWRIGHT_HANDOFF_OUTPUT when it exits 0;
  * over HTTP, from anywhere (a webhook's job, a notebook):
      python3 pytorch_cnn.py --bundle-url "$BUNDLE_URL" --token "$TOKEN"
    downloads the manifest and files with the one-time token and POSTs the model to the callback.

Needs torch, onnx and Pillow only (Debian: python3-torch python3-onnx python3-pil); the bundle's
CSV copy of each table is read with the standard library, so no Parquet reader is needed.

Hyperparameters (the train step's "hyperparameters"): imageSize (32), epochs (10), batchSize (16),
learningRate (0.002), filters ("16,32").
"""
import argparse
import csv
import io
import json
import os
import sys
import tempfile
import urllib.request
import zipfile

import torch
import torch.nn.functional as F
from PIL import Image
from torch import nn


def log(message):
    # one line per event: Pipewright puts each stdout line in the step's log
    print(message, flush=True)


# ——— the bundle ———

def fetch(url, token):
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=120) as answer:
        return answer.read()


def bundle_from_http(bundle_url, token, folder):
    view = json.loads(fetch(bundle_url, token))
    for name, url in view["files"].items():
        if name.endswith(".parquet"):
            continue  # the CSV copy carries the same rows
        with open(os.path.join(folder, name), "wb") as out:
            out.write(fetch(url, token))
    return view


def read_side(folder, files, label):
    """(images, labels) of one side: each row's picture, decoded to RGB, and its class name."""
    with open(os.path.join(folder, files["csv"]), newline="", encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r.get("image") and r.get(label)]
    images = []
    with zipfile.ZipFile(os.path.join(folder, files["images"])) as archive:
        for row in rows:
            images.append(Image.open(io.BytesIO(archive.read(row["image"]))).convert("RGB"))
    return images, [r[label] for r in rows]


# ——— the model: raw uint8 [N, H, W, 3] in, class probabilities out ———

class Preprocess(nn.Module):
    """What serving does to a raw image, inside the graph: scale to 0…1, resize, normalise."""

    def __init__(self, size, mean, std):
        super().__init__()
        self.size = size
        self.register_buffer("mean", torch.tensor(mean, dtype=torch.float32).view(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor(std, dtype=torch.float32).view(1, 3, 1, 1))

    def forward(self, image):
        x = image.permute(0, 3, 1, 2).to(torch.float32) / 255.0
        x = F.interpolate(x, size=(self.size, self.size), mode="bilinear", align_corners=False)
        return (x - self.mean) / self.std


class SmallCnn(nn.Module):
    def __init__(self, size, filters, classes):
        super().__init__()
        layers, channels = [], 3
        for width in filters:
            layers += [nn.Conv2d(channels, width, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2)]
            channels = width
        self.features = nn.Sequential(*layers)
        side = size >> len(filters)
        self.head = nn.Linear(channels * side * side, classes)

    def forward(self, x):
        return self.head(torch.flatten(self.features(x), 1))


class Served(nn.Module):
    def __init__(self, preprocess, cnn):
        super().__init__()
        self.preprocess = preprocess
        self.cnn = cnn

    def forward(self, image):
        return torch.softmax(self.cnn(self.preprocess(image)), dim=1)


def to_uint8(picture):
    return torch.frombuffer(bytearray(picture.tobytes()), dtype=torch.uint8).view(1, picture.height, picture.width, 3)


def resized(pictures, size):
    """Each picture through the graph's own resize, at its own size, so training sees what serving computes."""
    unit = Preprocess(size, [0.0, 0.0, 0.0], [1.0, 1.0, 1.0])
    with torch.no_grad():
        return torch.cat([unit(to_uint8(p)) for p in pictures]) if pictures else torch.zeros(0, 3, size, size)


def validation_score(cnn, validation):
    if validation is None:
        return ""
    cnn.eval()
    with torch.no_grad():
        accuracy = (cnn(validation[0]).argmax(dim=1) == validation[1]).float().mean().item()
    return f", validation accuracy {accuracy:.3f}"


def train(manifest, folder):
    params = manifest.get("hyperparameters", {})
    size = int(params.get("imageSize", 32))
    epochs = int(params.get("epochs", 10))
    batch = int(params.get("batchSize", 16))
    rate = float(params.get("learningRate", 0.002))
    filters = [int(f) for f in str(params.get("filters", "16,32")).split(",")]
    torch.manual_seed(int(manifest.get("seed", 42)))
    labels, label = manifest["labels"], manifest["label"]
    index = {name: i for i, name in enumerate(labels)}

    pictures, names = read_side(folder, manifest["files"]["train"], label)
    x = resized(pictures, size)
    y = torch.tensor([index[n] for n in names], dtype=torch.long)
    mean = x.mean(dim=(0, 2, 3))
    std = x.std(dim=(0, 2, 3)).clamp(min=1e-6)
    x = (x - mean.view(1, 3, 1, 1)) / std.view(1, 3, 1, 1)
    log(f"training on {len(y)} images of {len(labels)} classes at {size}x{size}, {epochs} epochs")

    validation = None
    if "validation" in manifest["files"]:
        val_pictures, val_names = read_side(folder, manifest["files"]["validation"], label)
        known = [i for i, n in enumerate(val_names) if n in index]
        if known:
            val_x = (resized([val_pictures[i] for i in known], size) - mean.view(1, 3, 1, 1)) / std.view(1, 3, 1, 1)
            validation = (val_x, torch.tensor([index[val_names[i]] for i in known], dtype=torch.long))

    cnn = SmallCnn(size, filters, len(labels))
    optimiser = torch.optim.Adam(cnn.parameters(), lr=rate)
    for epoch in range(epochs):
        cnn.train()
        order = torch.randperm(len(y))
        total = 0.0
        for start in range(0, len(y), batch):
            pick = order[start:start + batch]
            optimiser.zero_grad()
            loss = F.cross_entropy(cnn(x[pick]), y[pick])
            loss.backward()
            optimiser.step()
            total += loss.item() * len(pick)
        log(f"epoch {epoch + 1} of {epochs}: loss {total / max(1, len(y)):.4f}{validation_score(cnn, validation)}")
    cnn.eval()
    return Served(Preprocess(size, mean.tolist(), std.tolist()), cnn)


def export(model, path):
    example = torch.zeros(1, 40, 48, 3, dtype=torch.uint8)
    torch.onnx.export(
        model, example, path, input_names=["image"], output_names=["probabilities"], opset_version=17,
        dynamic_axes={"image": {0: "batch", 1: "height", 2: "width"}, "probabilities": {0: "batch"}},
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bundle-url", default=os.environ.get("PIPEWRIGHT_HANDOFF_BUNDLE_URL"))
    parser.add_argument("--token", default=os.environ.get("PIPEWRIGHT_HANDOFF_TOKEN"))
    args = parser.parse_args()
    local = os.environ.get("PIPEWRIGHT_HANDOFF_DIR")
    with tempfile.TemporaryDirectory() as scratch:
        folder = local or scratch
        if local:
            with open(os.environ["PIPEWRIGHT_HANDOFF_MANIFEST"], encoding="utf-8") as handle:
                view = json.load(handle)
        elif args.bundle_url and args.token:
            view = bundle_from_http(args.bundle_url, args.token, folder)
        else:
            sys.exit("Give --bundle-url and --token (or run as a Pipewright command handoff).")
        manifest = view["manifest"]
        if manifest.get("format") != "pipewright-handoff/v1" or "images" not in manifest["files"]["train"]:
            sys.exit("This trainer learns image datasets (a pipewright-handoff/v1 bundle with an images archive).")
        model = train(manifest, folder)
        output = os.environ.get("PIPEWRIGHT_HANDOFF_OUTPUT") or os.path.join(scratch, "model.onnx")
        export(model, output)
        log(f"wrote {output} ({os.path.getsize(output)} bytes)")
        if not local:
            with open(output, "rb") as handle:
                request = urllib.request.Request(view["callbackUrl"], data=handle.read(), method="POST", headers={"Authorization": f"Bearer {args.token}", "Content-Type": "application/octet-stream"})
            with urllib.request.urlopen(request, timeout=120) as answer:
                log(f"the model was taken: {answer.read().decode()}")


if __name__ == "__main__":
    main()
